using GoHeapDump.Fixtures;

namespace GoHeapDump.Real.Tests.Infrastructure;

/// <summary>The outcome of comparing two canonical JSONL renderings line by line.</summary>
/// <param name="Lines">Lines compared (the longer rendering's count).</param>
/// <param name="Differences">Lines that differ.</param>
/// <param name="FirstDifferences">The first few differences, described.</param>
internal sealed record JsonlComparison(long Lines, long Differences, IReadOnlyList<string> FirstDifferences)
{
    public bool Agree => Differences == 0 && Lines > 0;

    public override string ToString() =>
        $"{Lines} lines, {Differences} differ" + string.Concat(FirstDifferences.Select(d => "\n  " + d));
}

/// <summary>
/// Semantic line-by-line comparison of two canonical JSONL streams (spec/FORMAT.md: "Comparisons between renderings are
/// semantic"): equal lines are equal; otherwise both are compared by <see cref="JsonlText.Normalize"/>, objects by their
/// members whatever their order. Streams both inputs, so a 150 MB rendering costs a line at a time.
/// </summary>
internal static class JsonlAgreement
{
    private const int KeptDifferences = 5;
    private const int Excerpt = 300;

    public static JsonlComparison Compare(TextReader expected, string expectedName, TextReader actual, string actualName)
    {
        long lines = 0;
        long differences = 0;
        var first = new List<string>();
        while (true)
        {
            var e = expected.ReadLine();
            var a = actual.ReadLine();
            if (e is null && a is null)
            {
                break;
            }

            lines++;
            if (e is not null && a is not null && (e == a || SameJson(e, a)))
            {
                continue;
            }

            differences++;
            if (first.Count < KeptDifferences)
            {
                first.Add($"line {lines}: {expectedName}: {Cut(e)} | {actualName}: {Cut(a)}");
            }
        }

        return new JsonlComparison(lines, differences, first);
    }

    private static string Cut(string? line) => line is null ? "<no line>" : line.Length <= Excerpt ? line : line[..Excerpt] + "…";

    // The corpus's semantic comparison (JsonlText.Normalize: keys in ordinal order, values as written), one line at a time.
    private static bool SameJson(string x, string y) => JsonlText.TryNormalize(x) is { } nx && nx == JsonlText.TryNormalize(y);

    /// <summary>Runs dumpjsonl and goheapdump parse on <paramref name="dump"/> side by side and compares their output.</summary>
    /// <param name="dump">The dump file.</param>
    /// <param name="timeout">How long each reader may take.</param>
    /// <param name="cliAsProcess">goheapdump as a process (as a user runs it); otherwise its command line in this process.</param>
    /// <returns>The comparison and both exit codes with stderr.</returns>
    public static (JsonlComparison Comparison, int GoExit, int CliExit, string Stderr) CompareReaders(string dump, TimeSpan timeout, bool cliAsProcess)
    {
        using var go = Readers.StartDumpJsonl(dump);
        if (!cliAsProcess)
        {
            var (exit, stdout, stderr) = Readers.GoHeapDumpParseInProcess(dump);
            var inProcess = Compare(go.Stdout, "dumpjsonl", new StringReader(stdout), "goheapdump parse");
            var (goExitCode, goStderr) = go.Finish(timeout);
            return (inProcess, goExitCode, exit, goStderr + stderr);
        }

        using var cli = Readers.StartGoHeapDumpParse(dump);
        var comparison = Compare(go.Stdout, "dumpjsonl", cli.Stdout, "goheapdump parse");
        var (goExit, goErr) = go.Finish(timeout);
        var (cliExit, cliErr) = cli.Finish(timeout);
        return (comparison, goExit, cliExit, goErr + cliErr);
    }
}
