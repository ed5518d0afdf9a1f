using System.Globalization;

namespace GoHeapDump.Validation;

/// <summary>
/// Runs two independent parsers over the same input in lockstep and reports where they disagree: a
/// different record, a different header, or a different structure error (rule or offset). Both parsers
/// must produce the same records and fail at the same place with the same rule on every input.
/// </summary>
public static class CrossCheck
{
    /// <summary>A parser under comparison: a name for messages and how to open it on a stream.</summary>
    public sealed record Parser(string Name, Func<Stream, IHeapDumpReader> Open);

    /// <summary>Compares the parsers on the input <paramref name="open"/> returns (called once per parser).</summary>
    /// <returns>Disagreements, at most <paramref name="max"/>; empty when the parsers agree. Comparison
    /// stops at the first record or error they disagree on, since later positions no longer correspond.</returns>
    public static IReadOnlyList<string> Compare(Parser first, Parser second, Func<Stream> open, int max = 10) =>
        Compare(first, second, open, max, out _);

    /// <summary>Compares the parsers, and says when the comparison could not reach the end.</summary>
    /// <param name="first">One parser.</param>
    /// <param name="second">The other.</param>
    /// <param name="open">Opens the input (once per parser).</param>
    /// <param name="max">Most disagreements to report.</param>
    /// <param name="incomplete">Why the comparison stopped early without a disagreement (a parser cannot hold a
    /// record in memory, <see cref="NotSupportedException"/>); null when it ran to the end.</param>
    public static IReadOnlyList<string> Compare(Parser first, Parser second, Func<Stream> open, int max, out string? incomplete)
    {
        incomplete = null;
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        ArgumentNullException.ThrowIfNull(open);
        var disagreements = new List<string>();
        using var a = new Side(first, open);
        using var b = new Side(second, open);
        if (a.Error is not null || b.Error is not null)
        {
            if (!SameError(a.Error, b.Error))
            {
                disagreements.Add($"header: {a.Describe()} but {b.Describe()}");
            }

            return disagreements;
        }

        if (a.Reader!.Version != b.Reader!.Version)
        {
            disagreements.Add($"header: {first.Name} reads {a.Reader.Version}, {second.Name} reads {b.Reader.Version}");
            return disagreements;
        }

        long index = 0;
        while (disagreements.Count < max)
        {
            var positionA = a.Reader.Position;
            var positionB = b.Reader.Position;
            var recordA = a.Next();
            var recordB = b.Next();
            if (a.Unsupported is not null || b.Unsupported is not null)
            {
                incomplete = string.Create(CultureInfo.InvariantCulture, $"stopped at record #{index}: {(a.Unsupported ?? b.Unsupported)!.Message}");
                break;
            }

            if (a.Error is not null || b.Error is not null)
            {
                if (!SameError(a.Error, b.Error))
                {
                    disagreements.Add(string.Create(CultureInfo.InvariantCulture, $"record #{index}: {a.Describe()} but {b.Describe()}"));
                }

                break;
            }

            if (positionA != positionB)
            {
                disagreements.Add(string.Create(CultureInfo.InvariantCulture, $"record #{index}: {first.Name} is at offset {positionA}, {second.Name} at {positionB}"));
                break;
            }

            if (!Equals(recordA, recordB))
            {
                disagreements.Add(string.Create(CultureInfo.InvariantCulture,
                    $"record #{index} at offset {positionA}: {first.Name} reads {Render(recordA)}, {second.Name} reads {Render(recordB)}"));
                break;
            }

            if (recordA is null)
            {
                break;
            }

            index++;
        }

        return disagreements;
    }

    private static bool SameError(HeapDumpFormatException? a, HeapDumpFormatException? b) =>
        a is not null && b is not null && a.RuleId == b.RuleId && a.Offset == b.Offset;

    private static string Render(HeapDumpRecord? record)
    {
        if (record is null)
        {
            return "the end of the dump";
        }

        var line = CanonicalJsonlWriter.RenderLine(record);
        return line.Length <= 300 ? line : line[..300] + "…";
    }

    private sealed class Side : IDisposable
    {
        private readonly Parser _parser;
        private readonly Stream _stream;

        public Side(Parser parser, Func<Stream> open)
        {
            _parser = parser;
            _stream = open();
            try
            {
                Reader = parser.Open(_stream);
            }
            catch (HeapDumpFormatException e)
            {
                Error = e;
            }
        }

        public IHeapDumpReader? Reader { get; }

        public HeapDumpFormatException? Error { get; private set; }

        /// <summary>The parser cannot hold the record in memory (not a format error: the record may be valid).</summary>
        public NotSupportedException? Unsupported { get; private set; }

        public HeapDumpRecord? Next()
        {
            try
            {
                return Reader!.Read();
            }
            catch (HeapDumpFormatException e)
            {
                Error = e;
                return null;
            }
            catch (NotSupportedException e)
            {
                Unsupported = e;
                return null;
            }
        }

        public string Describe() => Error is null
            ? $"{_parser.Name} reads on"
            : string.Create(CultureInfo.InvariantCulture, $"{_parser.Name} stops with {Error.RuleId} at offset {Error.Offset}");

        public void Dispose()
        {
            Reader?.Dispose();
            _stream.Dispose();
        }
    }
}
