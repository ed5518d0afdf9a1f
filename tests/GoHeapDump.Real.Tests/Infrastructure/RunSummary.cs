using System.Globalization;

namespace GoHeapDump.Real.Tests.Infrastructure;

/// <summary>
/// Counts what the real-dump tests checked, for the CI summary: when <c>GOHEAPDUMP_REAL_SUMMARY</c> names a file, every
/// checked dump appends a line <c>kind, dump, what, checks, passed, failed</c> (tab-separated); <c>.ci/run</c> adds them
/// up. Tests run in parallel and in any order, so a file of lines is the one summary no test ordering can break.
/// </summary>
internal static class RunSummary
{
    private static readonly Lock Gate = new();

    /// <summary>Appends one line when the summary file is configured.</summary>
    /// <param name="category"><c>committed</c> or <c>live</c>.</param>
    /// <param name="dump">The dump's id.</param>
    /// <param name="what">What ran: <c>manifest/kaitai</c>, <c>agreement</c>, <c>validate</c>…</param>
    /// <param name="checks">Checks evaluated (for the agreement: lines compared).</param>
    /// <param name="failed">Checks that failed.</param>
    public static void Record(string category, string dump, string what, long checks, long failed)
    {
        var path = Environment.GetEnvironmentVariable("GOHEAPDUMP_REAL_SUMMARY");
        if (string.IsNullOrEmpty(path))
        {
            return;
        }

        var line = string.Create(CultureInfo.InvariantCulture, $"{category}\t{dump}\t{what}\t{checks}\t{checks - failed}\t{failed}\n");
        lock (Gate)
        {
            File.AppendAllText(path, line);
        }
    }
}
