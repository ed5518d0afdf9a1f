namespace GoHeapDump.Validation;

/// <summary>Which producers' output a validation judges by.</summary>
public enum ValidationProfile
{
    /// <summary>What any conforming producer may write: warnings are reported but do not fail the file.</summary>
    Default,

    /// <summary>Everything the Go runtime's algorithm guarantees: warnings are errors.</summary>
    Strict,
}

/// <summary>One violation, located.</summary>
/// <param name="Rule">The rule broken.</param>
/// <param name="Severity">Severity under the profile the file was validated with.</param>
/// <param name="Offset">File offset (see spec/FORMAT.md "Rules": the offending uvarint, or the record's tag); -1 when unknown.</param>
/// <param name="RecordIndex">0-based index of the record; -1 for the header or when unknown.</param>
/// <param name="RecordKind">Kind of the record, when known.</param>
/// <param name="Message">One line: what was expected and what was found.</param>
public sealed record Diagnostic(FormatRule Rule, RuleSeverity Severity, long Offset, long RecordIndex, RecordKind? RecordKind, string Message)
{
    public override string ToString()
    {
        var where = RecordIndex < 0 ? "" : RecordKind is { } k ? $", record #{RecordIndex} ({k.Name()})" : $", record #{RecordIndex}";
        var at = Offset < 0 ? "offset unknown" : $"offset 0x{Offset:x} ({Offset})";
        return $"{Rule.Id} {Rule.Slug} {(Severity == RuleSeverity.Error ? "error" : "warning")} at {at}{where}: {Message}";
    }
}

/// <summary>Count and encoded bytes of one record kind.</summary>
public readonly record struct KindTally(long Count, long Bytes);

/// <summary>Options of a validation run.</summary>
public sealed class ValidationOptions
{
    /// <summary>The profile; strict turns warnings into errors.</summary>
    public ValidationProfile Profile { get; init; } = ValidationProfile.Default;

    /// <summary>Diagnostics kept per rule; the rest are only counted.</summary>
    public int MaxDiagnosticsPerRule { get; init; } = 100;

    /// <summary>Called with the bytes read so far, about every 4 MiB, and once at the end.</summary>
    public Action<long>? Progress { get; init; }

    /// <summary>A second parser to compare the fast reader with (the Kaitai parser); null to skip the cross-check.</summary>
    public CrossCheck.Parser? CrossCheckWith { get; init; }

    /// <summary>
    /// Contents longer than this are skipped rather than held in memory (only V21 reads contents, an object's first word, and
    /// skips objects whose contents were skipped), so the
    /// largest object does not set the peak memory and objects over 2 GiB validate. Negative: never skip.
    /// </summary>
    public long ContentsLimit { get; init; } = 16 << 20;

    /// <summary>
    /// Most bytes the cross-record tables may hold (object runs, the references to check at the end, the type,
    /// bucket, thread and goroutine sets). When a table would grow past it, the tables are dropped and the rules
    /// that need them (V07, R09–R14) are not checked from that record on; the report says so in
    /// <see cref="ValidationReport.Notes"/>. Negative: no cap beyond the per-entry costs the remarks of
    /// <see cref="HeapDumpValidator"/> state.
    /// </summary>
    public long MaxMemory { get; init; } = -1;

    /// <summary>Read chunk size of the fast reader.</summary>
    public int BufferSize { get; init; } = HeapDumpReader.DefaultBufferSize;

    /// <summary>Objects handed to the object lane at a time (see ObjectLane); tests make it small to cross many hand-overs.</summary>
    internal int ObjectBatch { get; init; } = 8192;

    /// <summary>Check objects on a second thread: null decides by the cores; tests force it either way.</summary>
    internal bool? ObjectThread { get; init; }

    /// <summary>
    /// Decode and check the second half of a file's objects on a second core (see FileValidation.Split): null decides by
    /// the cores and the file's size; tests force it either way. Only for files (<see cref="HeapDumpValidator.ValidateFile"/>).
    /// </summary>
    internal bool? Split { get; init; }

    /// <summary>Bytes after the split's guess searched for a record boundary; tests make it small.</summary>
    internal int SplitWindow { get; init; } = 1 << 20;

    /// <summary>Where the split guesses, as a fraction of what is left when the objects begin; tests move it.</summary>
    internal double SplitFraction { get; init; } = 0.5;

    /// <summary>
    /// Read an input that cannot seek (standard input) ahead on a second thread, which also decodes objects ahead: the
    /// CLI's <c>validate -</c>, whose process owns the stream. Not for a library caller's stream: a read of it still
    /// running when validation ends is left behind (see HeapDumpReader.Open's internal overload).
    /// </summary>
    internal bool ReadAheadUnseekable { get; init; }
}

/// <summary>The verdict on one file.</summary>
public sealed class ValidationReport
{
    internal ValidationReport(string name, ValidationProfile profile)
    {
        Name = name;
        Profile = profile;
    }

    /// <summary>The file's path or the stream's name.</summary>
    public string Name { get; }

    public ValidationProfile Profile { get; }

    /// <summary>Header variant, when the header was read.</summary>
    public HeaderVersion? Version { get; internal set; }

    /// <summary>Bytes of input examined.</summary>
    public long BytesRead { get; internal set; }

    /// <summary>Records decoded (the EOF record included).</summary>
    public long RecordCount { get; internal set; }

    /// <summary>Count and bytes per record kind, indexed by tag.</summary>
    public KindTally[] Kinds { get; } = new KindTally[HeapDumpFormat.MaxRecordTag + 1];

    /// <summary>Kept diagnostics, in file order.</summary>
    public IReadOnlyList<Diagnostic> Diagnostics => _diagnostics;

    /// <summary>Total violations per rule ID (kept or not).</summary>
    public IReadOnlyDictionary<string, long> CountsByRule => _counts;

    /// <summary>The structure error that ended decoding, if any.</summary>
    public HeapDumpFormatException? StructureError { get; internal set; }

    /// <summary>What the input looks like when it is not a heap dump at all (gzip, pprof, ELF core …).</summary>
    public string? WrongInput { get; internal set; }

    /// <summary>Disagreements found by the cross-check with the Kaitai parser; null when it did not run.</summary>
    public IReadOnlyList<string>? CrossCheckDisagreements { get; internal set; }

    /// <summary>Why the cross-check stopped before the end without a disagreement (a parser could not hold a record); null otherwise.</summary>
    public string? CrossCheckIncomplete { get; internal set; }

    /// <summary>What limited the validation without being a finding (the memory cap), one line each.</summary>
    public IReadOnlyList<string> Notes => _notes;

    /// <summary>Rules left unchecked (all or in part) because of a limit; their IDs, in order.</summary>
    public IReadOnlyList<string> SkippedRules => _skippedRules;

    /// <summary>Objects recorded for the cross-record rules.</summary>
    public long ObjectCount { get; internal set; }

    /// <summary>Runs of adjacent objects the object table kept (16 bytes each).</summary>
    public long ObjectRunCount { get; internal set; }

    /// <summary>What became of the split (FileValidation.Split): null when there was none; for tests.</summary>
    internal string? Split { get; set; }

    /// <summary>Wall-clock time of the validation.</summary>
    public TimeSpan Elapsed { get; internal set; }

    /// <summary>Errors under the profile.</summary>
    public long ErrorCount { get; private set; }

    /// <summary>Warnings under the profile.</summary>
    public long WarningCount { get; private set; }

    /// <summary>True when the file has no errors under its profile and the parsers agree.</summary>
    public bool Conforms => ErrorCount == 0 && (CrossCheckDisagreements is null || CrossCheckDisagreements.Count == 0);

    private readonly List<Diagnostic> _diagnostics = [];
    private readonly List<string> _notes = [];
    private readonly List<string> _skippedRules = [];

    internal void AddNote(string note, IEnumerable<string> skippedRules)
    {
        _notes.Add(note);
        _skippedRules.AddRange(skippedRules);
    }
    private readonly Dictionary<string, long> _counts = new(StringComparer.Ordinal);

    /// <summary>Severity of a rule under this report's profile.</summary>
    public RuleSeverity SeverityOf(FormatRule rule) =>
        Profile == ValidationProfile.Strict ? RuleSeverity.Error : rule.Severity;

    /// <summary>Counts a violation; keeps it when the rule has not reached <paramref name="cap"/>.</summary>
    internal bool Add(FormatRule rule, long offset, long recordIndex, RecordKind? kind, string message, int cap)
    {
        var severity = SeverityOf(rule);
        if (severity == RuleSeverity.Error)
        {
            ErrorCount++;
        }
        else
        {
            WarningCount++;
        }

        _counts.TryGetValue(rule.Id, out var count);
        _counts[rule.Id] = count + 1;
        if (count >= cap)
        {
            return false;
        }

        _diagnostics.Add(new Diagnostic(rule, severity, offset, recordIndex, kind, message));
        return true;
    }

    /// <summary>Counts a violation found without a location and keeps it (locating happens later).</summary>
    internal void AddLocated(Diagnostic diagnostic) => _diagnostics.Add(diagnostic);

    internal void CountOnly(FormatRule rule)
    {
        if (SeverityOf(rule) == RuleSeverity.Error)
        {
            ErrorCount++;
        }
        else
        {
            WarningCount++;
        }

        _counts.TryGetValue(rule.Id, out var count);
        _counts[rule.Id] = count + 1;
    }

    /// <summary>
    /// Adds what another thread found (ObjectLane, in a report of its own): its counts, and for each rule it kept
    /// diagnostics of, the first <paramref name="cap"/> of its and this report's in record order, as one thread adding
    /// them in file order would have kept. A rule is added by one thread or the other for any one record, so record
    /// order decides.
    /// </summary>
    /// <param name="other">The other thread's report.</param>
    /// <param name="cap">Diagnostics kept per rule.</param>
    /// <param name="indexShift">Added to the other report's record indices (a later part of the file counted its records from its own start).</param>
    internal void Merge(ValidationReport other, int cap, long indexShift = 0)
    {
        ErrorCount += other.ErrorCount;
        WarningCount += other.WarningCount;
        foreach (var (rule, n) in other._counts)
        {
            _counts.TryGetValue(rule, out var count);
            _counts[rule] = count + n;
        }

        if (other._diagnostics.Count == 0)
        {
            return;
        }

        var rules = other._diagnostics.Select(d => d.Rule.Id).ToHashSet(StringComparer.Ordinal);
        var theirs = indexShift == 0 ? other._diagnostics : other._diagnostics.Select(d => d with { RecordIndex = d.RecordIndex + indexShift });
        var merged = _diagnostics.Where(d => rules.Contains(d.Rule.Id)).Concat(theirs)
            .GroupBy(d => d.Rule.Id, StringComparer.Ordinal)
            .SelectMany(g => g.OrderBy(d => d.RecordIndex).Take(cap))
            .ToList();
        _diagnostics.RemoveAll(d => rules.Contains(d.Rule.Id));
        _diagnostics.AddRange(merged);
    }

    internal void SortDiagnostics() =>
        _diagnostics.Sort((a, b) => a.Offset != b.Offset
            ? (a.Offset < 0 ? long.MaxValue : a.Offset).CompareTo(b.Offset < 0 ? long.MaxValue : b.Offset)
            : string.CompareOrdinal(a.Rule.Id, b.Rule.Id));
}
