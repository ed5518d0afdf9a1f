namespace GoHeapDump;

/// <summary>How much a rule violation matters.</summary>
public enum RuleSeverity
{
    /// <summary>The file does not conform.</summary>
    Error,
    /// <summary>Allowed by the format, never written by the Go runtime; an error under the strict profile.</summary>
    Warning,
}

/// <summary>A numbered rule of spec/FORMAT.md. IDs are stable: never renumber, only add.</summary>
/// <param name="Id">Stable ID, e.g. <c>S07</c>.</param>
/// <param name="Slug">Short kebab-case name, e.g. <c>truncated</c>; the "class" of a parse error in fixtures.</param>
/// <param name="Severity">Severity under the default profile.</param>
/// <param name="Summary">One line: what the rule requires.</param>
public sealed record FormatRule(string Id, string Slug, RuleSeverity Severity, string Summary)
{
    public override string ToString() => $"{Id} {Slug}";
}

/// <summary>
/// The structure rules: what every parser of the suite enforces while decoding (spec/FORMAT.md, "Structure").
/// A violation stops parsing; both parsers report it with the same ID at the same offset.
/// </summary>
public static class StructureRules
{
    public static FormatRule HeaderMagic { get; } = new("S01", "header-magic", RuleSeverity.Error,
        "The file starts with \"go1.5 heap dump\\n\", \"go1.6 heap dump\\n\" or \"go1.7 heap dump\\n\".");

    public static FormatRule UvarintTooLong { get; } = new("S02", "uvarint-too-long", RuleSeverity.Error,
        "A uvarint has at most 10 bytes: the 10th byte has no continuation bit.");

    public static FormatRule UvarintOverflow { get; } = new("S03", "uvarint-overflow", RuleSeverity.Error,
        "The 10th byte of a uvarint is 0 or 1 (the value fits in 64 bits).");

    public static FormatRule BoolValue { get; } = new("S04", "bool-value", RuleSeverity.Error,
        "A bool is the uvarint 0 or 1.");

    public static FormatRule UnknownTag { get; } = new("S05", "unknown-tag", RuleSeverity.Error,
        "A record tag is 0..17; records carry no length, so an unknown tag cannot be skipped.");

    public static FormatRule UnknownFieldKind { get; } = new("S06", "unknown-field-kind", RuleSeverity.Error,
        "A field kind is 0 (end of list), 1 (ptr), or the legacy 2 (iface) and 3 (eface).");

    public static FormatRule Truncated { get; } = new("S07", "truncated", RuleSeverity.Error,
        "Every header, record and length-prefixed string is complete: the input does not end inside one.");

    public static FormatRule MissingEof { get; } = new("S08", "missing-eof", RuleSeverity.Error,
        "The last record is an EOF record; input that ends between records without it was truncated.");

    public static FormatRule TrailingBytes { get; } = new("S09", "trailing-bytes", RuleSeverity.Error,
        "Nothing follows the EOF record.");

    public static FormatRule NonMinimalUvarint { get; } = new("S10", "non-minimal-uvarint", RuleSeverity.Warning,
        "Uvarints use the shortest encoding (encoding/binary accepts longer ones; the runtime never writes them).");

    /// <summary>All structure rules, in ID order.</summary>
    public static IReadOnlyList<FormatRule> All { get; } =
    [
        HeaderMagic, UvarintTooLong, UvarintOverflow, BoolValue, UnknownTag, UnknownFieldKind, Truncated,
        MissingEof, TrailingBytes, NonMinimalUvarint,
    ];
}
