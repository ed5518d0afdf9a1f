using System.Globalization;
using System.Text;

namespace GoHeapDump.Fixtures;

/// <summary>
/// The hand-written fixture source format (<c>.hex</c>), after the WebAssembly spec tests' annotated binaries:
/// one field per line with a comment, converted to a <c>.dump</c> by <c>goheapdump fixtures regen</c>.
/// </summary>
/// <remarks>
/// <code>
/// #! description: An 11-byte uvarint.          metadata lines, see below
/// 67 6f 31 2e 37                 # "go1.7"      hex bytes, in any grouping ("676f" or "67 6f")
/// " heap dump\n"                 # text         UTF-8 text with \n \t \" \\ \xNN escapes
/// 00*281                         # 281 zeros    a byte repeated
/// </code>
/// Metadata (<c>#!</c> lines): <c>description:</c> one sentence; <c>exercises:</c> comma-separated tags;
/// <c>parse-error: RULE OFFSET</c> when parsers must reject the file (absent: they accept it);
/// <c>profile: strict|default</c>; <c>diagnostics: RULE OFFSET, …</c> the validator's exact findings under that
/// profile (absent or empty: none; a parse error is one of them). Offsets are decimal.
/// </remarks>
public sealed class AnnotatedHex
{
    private AnnotatedHex(byte[] bytes, IReadOnlyDictionary<string, string> metadata)
    {
        Bytes = bytes;
        Metadata = metadata;
    }

    /// <summary>The bytes the source describes.</summary>
    public byte[] Bytes { get; }

    /// <summary>The <c>#!</c> lines, by key.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Parses a source text.</summary>
    /// <exception cref="FormatException">A token is not hex, a repeat or a string; a metadata line has no key.</exception>
    public static AnnotatedHex Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var bytes = new List<byte>();
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var rawLine in text.Split('\n'))
        {
            lineNumber++;
            var line = rawLine.TrimEnd('\r');
            if (line.StartsWith("#!", StringComparison.Ordinal))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon < 0)
                {
                    throw new FormatException($"line {lineNumber}: a '#!' metadata line needs 'key: value'");
                }

                var key = line[2..colon].Trim();
                var value = line[(colon + 1)..].Trim();
                metadata[key] = metadata.TryGetValue(key, out var before) ? before + " " + value : value;
                continue;
            }

            try
            {
                ParseLine(line, bytes);
            }
            catch (FormatException e)
            {
                throw new FormatException($"line {lineNumber}: {e.Message}", e);
            }
        }

        return new AnnotatedHex([.. bytes], metadata);
    }

    private static void ParseLine(string line, List<byte> bytes)
    {
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
                return;
            }
            else if (c == '"')
            {
                i = ReadText(line, i + 1, bytes);
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

    private static int ReadText(string line, int i, List<byte> bytes)
    {
        var text = new StringBuilder();
        while (true)
        {
            if (i >= line.Length)
            {
                throw new FormatException("unterminated \"text\"");
            }

            var c = line[i++];
            if (c == '"')
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(text.ToString()));
                return i;
            }

            if (c != '\\')
            {
                text.Append(c);
                continue;
            }

            if (i >= line.Length)
            {
                throw new FormatException("a \\ ends the line");
            }

            var e = line[i++];
            switch (e)
            {
                case 'n': text.Append('\n'); break;
                case 't': text.Append('\t'); break;
                case '"': text.Append('"'); break;
                case '\\': text.Append('\\'); break;
                case 'x' when i + 2 <= line.Length:
                    // A raw byte: flush the text so far, since the byte need not be UTF-8.
                    bytes.AddRange(Encoding.UTF8.GetBytes(text.ToString()));
                    text.Clear();
                    bytes.Add(byte.Parse(line.AsSpan(i, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    i += 2;
                    break;
                default: throw new FormatException($"unknown escape \\{e}");
            }
        }
    }

    private static void AddToken(string token, List<byte> bytes)
    {
        var star = token.IndexOf('*', StringComparison.Ordinal);
        if (star >= 0)
        {
            if (!byte.TryParse(token.AsSpan(0, star), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var value)
                || !int.TryParse(token.AsSpan(star + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var count))
            {
                throw new FormatException($"'{token}' is not a repeat (XX*N)");
            }

            bytes.AddRange(Enumerable.Repeat(value, count));
            return;
        }

        if (token.Length % 2 != 0)
        {
            throw new FormatException($"odd number of hex digits in '{token}'");
        }

        try
        {
            bytes.AddRange(Convert.FromHexString(token));
        }
        catch (FormatException)
        {
            throw new FormatException($"'{token}' is not hex");
        }
    }
}
