using System.Globalization;
using GoHeapDump.Validation;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace GoHeapDump.Conformance.Tasks;

/// <summary>
/// Validates heap dumps during a build and logs each violation as an MSBuild diagnostic,
/// <c>dump(1,OFFSET+1): error RULE: message</c>: the rule ID is the diagnostic's code, and the byte offset the
/// rules locate (spec/FORMAT.md "Rules") is the column of line 1, since a dump has no lines; an unknown offset
/// (or one past what a column can hold) leaves the position out. The message repeats the offset in hex and
/// decimal, with the record.
/// </summary>
public sealed class ValidateHeapDumps : Microsoft.Build.Utilities.Task
{
    /// <summary>The dumps (GoHeapDumpUnderTest items); metadata <c>Profile</c>: default, strict, or empty.</summary>
    [Required]
    public ITaskItem[] Dumps { get; set; } = [];

    /// <summary>Diagnostics logged per rule and dump; the rest are counted in one message.</summary>
    public int MaxDiagnosticsPerRule { get; set; } = 20;

    /// <inheritdoc />
    public override bool Execute()
    {
        foreach (var item in Dumps)
        {
            var path = item.GetMetadata("FullPath");
            var profileName = item.GetMetadata("Profile").Trim().ToLowerInvariant();
            ValidationProfile profile;
            switch (profileName)
            {
                case "default":
                    profile = ValidationProfile.Default;
                    break;
                case "strict":
                // No profile means both: the strict profile checks the same rules with every warning an error, so
                // one strict pass fails exactly when either profile would.
                case "":
                    profile = ValidationProfile.Strict;
                    break;
                default:
                    Log.LogError(null, "GHD0001", null, path, 0, 0, 0, 0,
                        $"GoHeapDumpUnderTest Profile=\"{item.GetMetadata("Profile")}\": use default or strict (or leave it out for both)");
                    continue;
            }

            Validate(item.ItemSpec, path, profile);
        }

        return !Log.HasLoggedErrors;
    }

    private void Validate(string declared, string path, ValidationProfile profile)
    {
        ValidationReport report;
        try
        {
            report = HeapDumpValidator.ValidateFile(path, new ValidationOptions { Profile = profile, MaxDiagnosticsPerRule = MaxDiagnosticsPerRule });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.LogError(null, "GHD0002", null, path, 0, 0, 0, 0, $"cannot read the dump: {e.Message}");
            return;
        }

        foreach (var d in report.Diagnostics)
        {
            var column = d.Offset >= 0 && d.Offset < int.MaxValue ? (int)d.Offset + 1 : 0;
            var line = column > 0 ? 1 : 0;
            var message = Describe(d);
            if (ReferenceEquals(d.Rule, report.StructureError?.Rule) && report.WrongInput is { } wrong)
            {
                message += $" (not a heap dump: {wrong})";
            }

            if (d.Severity == RuleSeverity.Error)
            {
                Log.LogError(null, d.Rule.Id, null, path, line, column, 0, 0, message);
            }
            else
            {
                Log.LogWarning(null, d.Rule.Id, null, path, line, column, 0, 0, message);
            }
        }

        foreach (var (rule, count) in report.CountsByRule.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            var kept = report.Diagnostics.Count(d => d.Rule.Id == rule);
            if (count > kept)
            {
                Log.LogMessage(MessageImportance.High, "{0}: {1} more {2} violations not listed", path, count - kept, rule);
            }
        }

        Log.LogMessage(MessageImportance.Normal, "{0}: {1} profile, {2} error(s), {3} warning(s)", declared,
            profile.ToString().ToLowerInvariant(), report.ErrorCount, report.WarningCount);
    }

    /// <summary>The diagnostic without its rule ID (MSBuild shows that as the code): slug, offset, record, message.</summary>
    private static string Describe(Diagnostic d)
    {
        var at = d.Offset < 0 ? "offset unknown" : string.Create(CultureInfo.InvariantCulture, $"offset 0x{d.Offset:x} ({d.Offset})");
        var record = d.RecordIndex < 0 ? "" : d.RecordKind is { } k
            ? string.Create(CultureInfo.InvariantCulture, $", record #{d.RecordIndex} ({k.Name()})")
            : string.Create(CultureInfo.InvariantCulture, $", record #{d.RecordIndex}");
        return $"{d.Rule.Slug} at {at}{record}: {d.Message}";
    }
}
