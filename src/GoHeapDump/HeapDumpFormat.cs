using System.Collections.Frozen;

namespace GoHeapDump;

/// <summary>Record tags, the first uvarint of every record. Go: runtime/heapdump.go tag* constants.</summary>
/// <remarks>The .ksy enum <c>tag</c> and the canonical JSONL <c>"kind"</c> use the snake_case names
/// in <see cref="HeapDumpFormat.RecordKindNames"/>.</remarks>
public enum RecordKind
{
    /// <summary>Go: tagEOF. Last record; nothing may follow it.</summary>
    Eof = 0,
    /// <summary>Go: tagObject.</summary>
    Object = 1,
    /// <summary>Go: tagOtherRoot. Defined but not written by any gc release since 1.5.</summary>
    OtherRoot = 2,
    /// <summary>Go: tagType.</summary>
    Type = 3,
    /// <summary>Go: tagGoroutine.</summary>
    Goroutine = 4,
    /// <summary>Go: tagStackFrame.</summary>
    StackFrame = 5,
    /// <summary>Go: tagParams.</summary>
    Params = 6,
    /// <summary>Go: tagFinalizer (a registered finalizer).</summary>
    Finalizer = 7,
    /// <summary>Go: tagItab.</summary>
    Itab = 8,
    /// <summary>Go: tagOSThread.</summary>
    OsThread = 9,
    /// <summary>Go: tagMemStats.</summary>
    MemStats = 10,
    /// <summary>Go: tagQueuedFinalizer.</summary>
    QueuedFinalizer = 11,
    /// <summary>Go: tagData.</summary>
    Data = 12,
    /// <summary>Go: tagBSS.</summary>
    Bss = 13,
    /// <summary>Go: tagDefer.</summary>
    Defer = 14,
    /// <summary>Go: tagPanic.</summary>
    Panic = 15,
    /// <summary>Go: tagMemProf.</summary>
    MemProf = 16,
    /// <summary>Go: tagAllocSample.</summary>
    AllocSample = 17,
}

/// <summary>Kinds in a field list. Go: fieldKind* constants.</summary>
public enum FieldKind
{
    /// <summary>Go: fieldKindEol. Ends a field list; has no offset.</summary>
    Eol = 0,
    /// <summary>Go: fieldKindPtr. The only kind written since Go 1.5.</summary>
    Ptr = 1,
    /// <summary>Go: fieldKindIface. Legacy (before Go 1.5); still a defined value.</summary>
    Iface = 2,
    /// <summary>Go: fieldKindEface. Legacy (before Go 1.5); still a defined value.</summary>
    Eface = 3,
}

/// <summary>The three header variants. They differ only in the params record's architecture field.</summary>
public enum HeaderVersion
{
    /// <summary><c>go1.5 heap dump\n</c>: params carry a uvarint "thechar".</summary>
    Go15 = 5,
    /// <summary><c>go1.6 heap dump\n</c>: identical to go1.5.</summary>
    Go16 = 6,
    /// <summary><c>go1.7 heap dump\n</c>: params carry GOARCH as a string. Written by every release since 1.7.</summary>
    Go17 = 7,
}

/// <summary>The format's constants, in one place. Everything that reads or writes dumps takes them from here.</summary>
public static class HeapDumpFormat
{
    /// <summary>Length of every header variant, in bytes.</summary>
    public const int HeaderLength = 16;

    /// <summary>Header bytes before the minor version digit.</summary>
    public static ReadOnlySpan<byte> HeaderPrefix => "go1."u8;

    /// <summary>Header bytes after the minor version digit.</summary>
    public static ReadOnlySpan<byte> HeaderSuffix => " heap dump\n"u8;

    /// <summary>Offset of the minor version digit ('5', '6' or '7') in the header.</summary>
    public const int HeaderMinorOffset = 4;

    /// <summary>Offset of <see cref="HeaderSuffix"/> in the header.</summary>
    public const int HeaderSuffixOffset = 5;

    /// <summary>The longest uvarint encoding/binary accepts: 10 bytes (64 bits in 7-bit groups).</summary>
    public const int MaxUvarintLength = 10;

    /// <summary>The 10th byte of a uvarint carries bit 63 only: it must be 0 or 1.</summary>
    public const byte MaxLastUvarintByte = 1;

    /// <summary>Highest record tag value.</summary>
    public const int MaxRecordTag = (int)RecordKind.AllocSample;

    /// <summary>Highest field kind value.</summary>
    public const int MaxFieldKind = (int)FieldKind.Eface;

    /// <summary>Number of <c>PauseNs</c> entries in the memstats record (runtime.MemStats.PauseNs).</summary>
    public const int PauseNsCount = 256;

    /// <summary>Uvarints in a memstats record: 24 scalars, PauseNs[256], NumGC.</summary>
    public const int MemStatsValueCount = 24 + PauseNsCount + 1;

    /// <summary>The Go runtime's dump write buffer. Go: heapdump.go bufSize.</summary>
    public const int WriteBufferSize = 4096;

    /// <summary>Header bytes for a version.</summary>
    public static byte[] HeaderBytes(HeaderVersion version) => version switch
    {
        HeaderVersion.Go15 => "go1.5 heap dump\n"u8.ToArray(),
        HeaderVersion.Go16 => "go1.6 heap dump\n"u8.ToArray(),
        HeaderVersion.Go17 => "go1.7 heap dump\n"u8.ToArray(),
        _ => throw new ArgumentOutOfRangeException(nameof(version), version, "not a header version"),
    };

    /// <summary>The header version for a minor digit byte ('5', '6', '7'), or null.</summary>
    public static HeaderVersion? VersionFromMinorDigit(byte digit) => digit switch
    {
        (byte)'5' => HeaderVersion.Go15,
        (byte)'6' => HeaderVersion.Go16,
        (byte)'7' => HeaderVersion.Go17,
        _ => null,
    };

    /// <summary>True when the params record carries the architecture as a string (go1.7) rather than a thechar.</summary>
    public static bool ArchIsString(HeaderVersion version) => version == HeaderVersion.Go17;

    /// <summary>Canonical name of a header version, as in the JSONL header line ("go1.7").</summary>
    public static string VersionName(HeaderVersion version) => version switch
    {
        HeaderVersion.Go15 => "go1.5",
        HeaderVersion.Go16 => "go1.6",
        HeaderVersion.Go17 => "go1.7",
        _ => throw new ArgumentOutOfRangeException(nameof(version), version, "not a header version"),
    };

    /// <summary>Record kind names: the .ksy <c>tag</c> enum and the JSONL <c>"kind"</c> values, indexed by tag.</summary>
    public static IReadOnlyList<string> RecordKindNames { get; } =
    [
        "eof", "object", "other_root", "type", "goroutine", "stack_frame", "params", "finalizer", "itab",
        "os_thread", "mem_stats", "queued_finalizer", "data", "bss", "defer", "panic", "mem_prof", "alloc_sample",
    ];

    /// <summary>Field kind names: the .ksy <c>field_kind</c> enum, indexed by kind.</summary>
    public static IReadOnlyList<string> FieldKindNames { get; } = ["eol", "ptr", "iface", "eface"];

    private static readonly FrozenDictionary<string, RecordKind> KindsByName =
        Enumerable.Range(0, MaxRecordTag + 1).ToFrozenDictionary(i => RecordKindNames[i], i => (RecordKind)i);

    /// <summary>The snake_case name of a record kind.</summary>
    public static string Name(this RecordKind kind) =>
        (uint)kind <= MaxRecordTag ? RecordKindNames[(int)kind] : $"tag {(int)kind}";

    /// <summary>The snake_case name of a field kind.</summary>
    public static string Name(this FieldKind kind) =>
        (uint)kind <= MaxFieldKind ? FieldKindNames[(int)kind] : $"field kind {(int)kind}";

    /// <summary>Looks up a record kind by its snake_case name.</summary>
    public static bool TryParseKind(string name, out RecordKind kind) => KindsByName.TryGetValue(name, out kind);

    /// <summary>Go statuses a goroutine record may carry. Go: _Grunnable, _Gsyscall, _Gwaiting.</summary>
    public static IReadOnlyList<ulong> DumpableGoroutineStatuses { get; } = [1, 3, 4];

    /// <summary>Go 1.5/1.6 "thechar" values (params architecture field) and the GOARCH each stands for.</summary>
    public static IReadOnlyDictionary<ulong, string> TheCharArchitectures { get; } = new Dictionary<ulong, string>
    {
        ['5'] = "arm",
        ['6'] = "amd64",
        ['7'] = "arm64",
        ['8'] = "386",
        ['9'] = "ppc64",
        ['0'] = "mips64",
        ['z'] = "s390x",
    }.ToFrozenDictionary();
}
