using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace GoHeapDump.Fixtures;

/// <summary>
/// Semantic comparison of canonical JSONL (spec/FORMAT.md: "parse both lines as JSON, compare values"): a line is
/// normalized by parsing it and writing it back compactly with every object's keys in ordinal order, so
/// whitespace, key order and escaping choices do not matter, and values (strings, numbers as written, arrays in
/// order) do.
/// </summary>
public static class JsonlText
{
    private static readonly JsonWriterOptions Compact = new()
    {
        Indented = false,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The normalized form of one JSON line.</summary>
    /// <exception cref="JsonException">The line is not one JSON value.</exception>
    public static string Normalize(string line)
    {
        using var document = JsonDocument.Parse(line);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Compact))
        {
            Write(writer, document.RootElement);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>Normalizes a line, or returns null when it is not JSON.</summary>
    public static string? TryNormalize(string line)
    {
        try
        {
            return Normalize(line);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Splits JSONL text into lines (a final newline ends the last line; it does not start another).</summary>
    public static List<string> Lines(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.Split('\n').ToList();
        if (lines.Count > 0 && lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        for (var i = 0; i < lines.Count; i++)
        {
            lines[i] = lines[i].TrimEnd('\r');
        }

        return lines;
    }

    /// <summary>
    /// SHA-256 (lowercase hex) of the normalized lines, each followed by a newline: how the manifest pins the
    /// expected rendering of a dump whose JSONL is too large to commit (the real dumps).
    /// </summary>
    public static string NormalizedSha256(IEnumerable<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var list = lines as IReadOnlyList<string> ?? [.. lines];
        // Normalizing parses every line (a real dump's rendering is megabytes), and the corpus checks hash the same text
        // once per parser that renders it correctly; a SHA-256 of the text as given is a small fraction of that. The
        // normalized hash is a function of the text, so a text seen before gets the hash computed then; any other text,
        // one byte different, is normalized afresh.
        var raw = RawSha256(list);
        if (Normalized.TryGetValue(raw, out var known))
        {
            return known;
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var line in list)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(Normalize(line)));
            hash.AppendData("\n"u8);
        }

        var result = Convert.ToHexStringLower(hash.GetHashAndReset());
        if (Normalized.Count >= MaxRemembered)
        {
            Normalized.Clear(); // a bound on memory, not an eviction policy: a test run hashes a few hundred texts
        }

        Normalized[raw] = result;
        return result;
    }

    private const int MaxRemembered = 1024;

    /// <summary>Normalized SHA-256 by the SHA-256 of the lines as given (<see cref="RawSha256"/>).</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> Normalized = new(StringComparer.Ordinal);

    /// <summary>SHA-256 of the lines as given (their UTF-16 code units, so even unpaired surrogates count), each prefixed
    /// with its length, so the key tells line breaks apart.</summary>
    private static string RawSha256(IReadOnlyList<string> lines)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> length = stackalloc byte[4];
        foreach (var line in lines)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(length, line.Length);
            hash.AppendData(length);
            hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(line.AsSpan()));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>The first difference between expected and actual lines, or null when they agree semantically.</summary>
    public static JsonlDifference? FirstDifference(IReadOnlyList<string> expected, IReadOnlyList<string> actual)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        var n = Math.Min(expected.Count, actual.Count);
        for (var i = 0; i < n; i++)
        {
            // The same text is the same value: only its being JSON needs checking, which is cheaper than normalizing both.
            if (string.Equals(expected[i], actual[i], StringComparison.Ordinal))
            {
                if (!IsOneJsonValue(actual[i]))
                {
                    return new JsonlDifference(i + 1, expected[i], actual[i], "not JSON");
                }

                continue;
            }

            var got = TryNormalize(actual[i]);
            if (got is null)
            {
                return new JsonlDifference(i + 1, expected[i], actual[i], "not JSON");
            }

            if (!string.Equals(Normalize(expected[i]), got, StringComparison.Ordinal))
            {
                return new JsonlDifference(i + 1, expected[i], actual[i], "differs");
            }
        }

        if (expected.Count > actual.Count)
        {
            return new JsonlDifference(n + 1, expected[n], null, $"missing ({actual.Count} lines, expected {expected.Count})");
        }

        if (actual.Count > expected.Count)
        {
            return new JsonlDifference(n + 1, null, actual[n], $"extra ({actual.Count} lines, expected {expected.Count})");
        }

        return null;
    }

    /// <summary>Whether a line is one JSON value, as <see cref="Normalize"/> accepts it (no comments, nothing after it).</summary>
    private static bool IsOneJsonValue(string line)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(line));
        try
        {
            if (!reader.Read())
            {
                return false;
            }

            reader.Skip();
            return !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>SHA-256 of bytes, lowercase hex.</summary>
    public static string Sha256(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static void Write(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(property.Name);
                    Write(writer, property.Value);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }
}

/// <summary>Where two JSONL renderings first differ (1-based line), and how.</summary>
public sealed record JsonlDifference(int Line, string? Expected, string? Actual, string What)
{
    public override string ToString() =>
        $"line {Line} {What}" + (Expected is null ? "" : $"\n  expected: {Clip(Expected)}") + (Actual is null ? "" : $"\n  actual:   {Clip(Actual)}");

    /// <summary>Shortens a long line (a dump's contents in hex) for a message.</summary>
    public static string Clip(string line, int max = 300) => line.Length <= max ? line : line[..max] + $"… ({line.Length} chars)";
}
