using System.Globalization;

namespace GoHeapDump;

/// <summary>
/// The input is not a well-formed heap dump. Carries where (byte offset, record index and kind), which
/// structure rule was broken, and, from the Kaitai parser, the .ksy path of the failing field.
/// </summary>
/// <remarks>
/// Offset convention (spec/FORMAT.md, "Error offsets"), identical for every parser of the suite:
/// the offset at which the failing read began. For a truncation that is where the missing bytes
/// should have started (a uvarint byte at end of input, or the first byte of a string's body); for a
/// bad uvarint, its 10th byte; for a bad value (tag, field kind, bool), the last byte of the uvarint
/// holding it; for a bad header, the first byte of the header part that differs ("go1." at 0, the
/// digit at 4, " heap dump\n" at 5); for trailing bytes, the first byte after the EOF record.
/// </remarks>
public class HeapDumpFormatException : Exception
{
    public HeapDumpFormatException()
        : this(StructureRules.Truncated, "malformed heap dump", 0, -1, null, null)
    {
    }

    public HeapDumpFormatException(string message)
        : this(StructureRules.Truncated, message, 0, -1, null, null)
    {
    }

    public HeapDumpFormatException(string message, Exception innerException)
        : this(StructureRules.Truncated, message, 0, -1, null, null, innerException)
    {
    }

    /// <param name="rule">The structure rule the input breaks.</param>
    /// <param name="detail">What was expected and what was found, without the location.</param>
    /// <param name="offset">Byte offset of the failing read (see remarks).</param>
    /// <param name="recordIndex">0-based index of the record being read; -1 for the header.</param>
    /// <param name="recordKind">Kind of the record being read, when its tag was read and known.</param>
    /// <param name="specPath">Path of the failing field in spec/go_heapdump.ksy, when known.</param>
    /// <param name="innerException">The parser-level exception, if any.</param>
    public HeapDumpFormatException(
        FormatRule rule,
        string detail,
        long offset,
        long recordIndex,
        RecordKind? recordKind,
        string? specPath,
        Exception? innerException = null)
        : base(Describe(rule, detail, offset, recordIndex, recordKind, specPath), innerException)
    {
        ArgumentNullException.ThrowIfNull(rule);
        Rule = rule;
        Detail = detail;
        Offset = offset;
        RecordIndex = recordIndex;
        RecordKind = recordKind;
        SpecPath = specPath;
    }

    /// <summary>The broken structure rule.</summary>
    public FormatRule Rule { get; }

    /// <summary>Rule ID, e.g. S07.</summary>
    public string RuleId => Rule.Id;

    /// <summary>What went wrong, without the location.</summary>
    public string Detail { get; }

    /// <summary>Byte offset of the failing read.</summary>
    public long Offset { get; }

    /// <summary>Index of the record being read (0 = the first record after the header); -1 for the header.</summary>
    public long RecordIndex { get; }

    /// <summary>Kind of the record being read, when known.</summary>
    public RecordKind? RecordKind { get; }

    /// <summary>Path in spec/go_heapdump.ksy of the failing field, when the parser knows it.</summary>
    public string? SpecPath { get; }

    private static string Describe(FormatRule rule, string detail, long offset, long recordIndex, RecordKind? kind, string? specPath)
    {
        var where = recordIndex < 0
            ? "header"
            : kind is { } k
                ? string.Create(CultureInfo.InvariantCulture, $"record #{recordIndex} ({k.Name()})")
                : string.Create(CultureInfo.InvariantCulture, $"record #{recordIndex}");
        var path = specPath is null ? "" : $" [{specPath}]";
        return string.Create(CultureInfo.InvariantCulture, $"{rule.Id} {rule.Slug}: {detail} at offset 0x{offset:x} ({offset}), {where}{path}");
    }
}
