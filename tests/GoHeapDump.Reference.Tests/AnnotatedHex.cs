using System.Globalization;
using System.Text;

namespace GoHeapDump.Reference.Tests;

/// <summary>
/// Expected bytes written by hand, one field per line with a comment, as in the WebAssembly spec tests:
/// <code>
/// 06                   # tag: params
/// 80 80 80 80 80 18    # heap start 0xc000000000
/// "amd64"              # the bytes of a string (its length is written before it, by hand)
/// 00*281               # a byte repeated 281 times
/// </code>
/// Tokens: hex byte runs ("0a", "0a0b"), "text" with \n \" \\ escapes, XX*N repeats; '#' starts a comment.
/// </summary>
internal static class AnnotatedHex
{
    public static byte[] Parse(string annotated)
    {
        var bytes = new List<byte>();
        foreach (var rawLine in annotated.Split('\n'))
        {
            var line = rawLine;
            var i = 0;
            while (i < line.Length)
            {
                var c = line[i];
                if (char.IsWhiteSpace(c))
                {
                    i++;
                }
                else if (c == '#')
                {
                    break;
                }
                else if (c == '"')
                {
                    i = ReadString(line, i + 1, bytes);
                }
                else
                {
                    var start = i;
                    while (i < line.Length && !char.IsWhiteSpace(line[i]) && line[i] != '#')
                    {
                        i++;
                    }

                    AddToken(line[start..i], bytes);
                }
            }
        }

        return [.. bytes];
    }

    private static int ReadString(string line, int i, List<byte> bytes)
    {
        var sb = new StringBuilder();
        while (true)
        {
            if (i >= line.Length)
            {
                throw new FormatException($"unterminated string in: {line}");
            }

            var c = line[i++];
            if (c == '"')
            {
                break;
            }

            if (c == '\\')
            {
                var e = line[i++];
                sb.Append(e switch { 'n' => '\n', '"' => '"', '\\' => '\\', _ => throw new FormatException($"unknown escape \\{e}") });
            }
            else
            {
                sb.Append(c);
            }
        }

        bytes.AddRange(Encoding.UTF8.GetBytes(sb.ToString()));
        return i;
    }

    private static void AddToken(string token, List<byte> bytes)
    {
        var star = token.IndexOf('*', StringComparison.Ordinal);
        if (star >= 0)
        {
            var value = byte.Parse(token[..star], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            var count = int.Parse(token[(star + 1)..], CultureInfo.InvariantCulture);
            bytes.AddRange(Enumerable.Repeat(value, count));
            return;
        }

        if (token.Length % 2 != 0)
        {
            throw new FormatException($"odd number of hex digits in '{token}'");
        }

        bytes.AddRange(Convert.FromHexString(token));
    }
}

/// <summary>Assertions that show where two dumps first differ.</summary>
internal static class Bytes
{
    public static void Equal(byte[] expected, byte[] actual)
    {
        if (expected.AsSpan().SequenceEqual(actual))
        {
            return;
        }

        var at = 0;
        while (at < expected.Length && at < actual.Length && expected[at] == actual[at])
        {
            at++;
        }

        var from = Math.Max(0, at - 16);
        Assert.Fail(
            $"bytes differ at offset {at} (expected {expected.Length} bytes, got {actual.Length})\n" +
            $"expected …{Convert.ToHexStringLower(expected.AsSpan(from, Math.Min(48, expected.Length - from)))}\n" +
            $"actual   …{Convert.ToHexStringLower(actual.AsSpan(from, Math.Min(48, actual.Length - from)))}");
    }
}
