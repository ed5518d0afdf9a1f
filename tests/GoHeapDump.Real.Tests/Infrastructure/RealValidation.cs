using GoHeapDump.Kaitai;
using GoHeapDump.Validation;

namespace GoHeapDump.Real.Tests.Infrastructure;

/// <summary>
/// The validator as <c>goheapdump validate [--strict] --cross-check</c> runs it, for the real-dump tests: a real dump must
/// conform under both profiles and the Kaitai parser must agree with the fast reader on it (no false alarms).
/// </summary>
internal static class RealValidation
{
    /// <summary>The profiles every real dump is validated under, by the names the CI summary uses.</summary>
    public static readonly string[] Profiles = ["default", "strict"];

    /// <summary>Validates the input <paramref name="open"/> returns (called again for the cross-check and the overlap pass).</summary>
    public static ValidationReport Validate(string profile, string name, Func<Stream> open)
    {
        var options = new ValidationOptions
        {
            Profile = profile switch
            {
                "default" => ValidationProfile.Default,
                "strict" => ValidationProfile.Strict,
                _ => throw new ArgumentException($"unknown profile \"{profile}\"", nameof(profile)),
            },
            CrossCheckWith = new CrossCheck.Parser("Kaitai parser", s => KaitaiHeapDumpReader.Open(s)),
        };
        using var stream = open();
        return HeapDumpValidator.Validate(stream, name, options, open);
    }

    /// <summary>True when the report has no error, no structure error, no wrong-input note and no cross-check disagreement.</summary>
    public static bool Clean(ValidationReport report) =>
        report.ErrorCount == 0 && report.StructureError is null && report.WrongInput is null
        && report.CrossCheckDisagreements is not { Count: > 0 } && report.CrossCheckIncomplete is null;

    public static string Describe(ValidationReport report) =>
        $"{report.Name}: {report.RecordCount} records, {report.ErrorCount} errors, {report.WarningCount} warnings"
        + (report.StructureError is { } e ? $"; structure error: {e.Message}" : "")
        + (report.CrossCheckDisagreements is { Count: > 0 } d ? "; the parsers disagree: " + string.Join("; ", d) : "")
        + (report.CrossCheckIncomplete is { } i ? $"; cross-check incomplete: {i}" : "")
        + string.Concat(report.Diagnostics.Take(20).Select(x => "\n  " + x));
}
