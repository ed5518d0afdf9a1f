using System.Globalization;
using System.Text.Json;

namespace GoHeapDump.Real.Tests.Manifests;

/// <summary>
/// A probe program's ground-truth manifest, schema version 1 (fixtures/producers/go/README.md, "Manifest
/// schema"): what the program knew about its own heap when it called <c>runtime/debug.WriteHeapDump</c>.
/// </summary>
/// <remarks>
/// Read-only and complete for schema 1; unknown keys are ignored (the schema may add keys without a version
/// bump). Addresses are <c>"0x…"</c> strings, 64-bit counters decimal strings, small counts JSON numbers.
/// A missing optional section is null or empty: a probe writes only what it knows (empty writes no objects).
/// </remarks>
public sealed class ProbeManifest
{
    public const string SchemaName = "go-heapdump-probe-manifest";
    public const int SupportedSchemaVersion = 1;

    public required string Probe { get; init; }
    public required string DumpFile { get; init; }
    public required GoPlatform Go { get; init; }

    /// <summary>What the runtime does that changed between releases, as the program learnt it (null in manifests written
    /// before the probes learnt them).</summary>
    public RuntimeFacts? Runtime { get; init; }

    public IReadOnlyList<ManifestObject> Objects { get; init; } = [];
    public IReadOnlyList<ManifestGlobal> Globals { get; init; } = [];
    public IReadOnlyList<ManifestItab> Itabs { get; init; } = [];
    public ItabSummary? ItabSummary { get; init; }
    public ManifestFinalizers? Finalizers { get; init; }
    public IReadOnlyList<CreatedGoroutine> Goroutines { get; init; } = [];
    public IReadOnlyList<ManifestPanic> Panics { get; init; } = [];
    public ManifestMemProf? MemProf { get; init; }
    public DumpMoment? Dump { get; init; }

    /// <summary>Reads a manifest file.</summary>
    /// <exception cref="ManifestException">Not a schema-1 probe manifest.</exception>
    public static ProbeManifest Load(string path) => Parse(File.ReadAllBytes(path), path);

    /// <summary>Parses manifest JSON; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="ManifestException">Not a schema-1 probe manifest.</exception>
    public static ProbeManifest Parse(ReadOnlyMemory<byte> utf8Json, string source)
    {
        using var doc = ParseDocument(utf8Json, source);
        var root = doc.RootElement;
        var r = new ManifestReader(source);
        var schema = r.String(root, "schema");
        if (schema != SchemaName)
        {
            throw new ManifestException($"{source}: schema is \"{schema}\", not \"{SchemaName}\"");
        }

        var version = r.Int(root, "schema_version");
        if (version != SupportedSchemaVersion)
        {
            throw new ManifestException($"{source}: schema_version {version}; this checker reads version {SupportedSchemaVersion}");
        }

        return new ProbeManifest
        {
            Probe = r.String(root, "probe"),
            DumpFile = r.String(root, "dump_file"),
            Go = GoPlatform.Read(r, r.Object(root, "go")),
            Runtime = ManifestReader.TryObject(root, "runtime") is { } rt ? RuntimeFacts.Read(r, rt) : null,
            Objects = r.Array(root, "objects", e => ManifestObject.Read(r, e)),
            Globals = r.Array(root, "globals", e => ManifestGlobal.Read(r, e)),
            Itabs = r.Array(root, "itabs", e => ManifestItab.Read(r, e)),
            ItabSummary = ManifestReader.TryObject(root, "itab_summary") is { } s ? ItabSummary.Read(r, s) : null,
            Finalizers = ManifestReader.TryObject(root, "finalizers") is { } f ? ManifestFinalizers.Read(r, f) : null,
            Goroutines = ManifestReader.TryObject(root, "goroutines") is { } g ? r.Array(g, "created", e => CreatedGoroutine.Read(r, e)) : [],
            Panics = r.Array(root, "panics", e => ManifestPanic.Read(r, e)),
            MemProf = ManifestReader.TryObject(root, "memprof") is { } mp ? new ManifestMemProf(r.Int(mp, "rate")) : null,
            Dump = ManifestReader.TryObject(root, "dump") is { } d ? DumpMoment.Read(r, d) : null,
        };
    }

    private static JsonDocument ParseDocument(ReadOnlyMemory<byte> utf8Json, string source)
    {
        try
        {
            return JsonDocument.Parse(utf8Json, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            throw new ManifestException($"{source}: not JSON: {e.Message}", e);
        }
    }
}

/// <summary>The manifest's <c>go</c> section: the process that wrote the dump.</summary>
/// <param name="MemProfileRate">runtime.MemProfileRate when the program started dumping (schema: information; null when absent).</param>
public sealed record GoPlatform(string Version, string Compiler, string Goos, string Goarch, int PtrSize, string ByteOrder, ulong NumCpu, long? MemProfileRate)
{
    public bool BigEndian => ByteOrder == "big";

    internal static GoPlatform Read(ManifestReader r, JsonElement e)
    {
        var order = r.String(e, "byte_order");
        if (order is not ("little" or "big"))
        {
            throw r.Error($"go.byte_order is \"{order}\", not little or big");
        }

        var ptrSize = r.Int(e, "ptr_size");
        if (ptrSize is not (4 or 8))
        {
            throw r.Error($"go.ptr_size is {ptrSize}, not 4 or 8");
        }

        return new GoPlatform(r.String(e, "version"), r.String(e, "compiler"), r.String(e, "goos"), r.String(e, "goarch"),
            ptrSize, order, (ulong)r.Int(e, "num_cpu"), r.TryLong(e, "mem_profile_rate"));
    }
}

/// <summary>
/// The manifest's <c>runtime</c> section: facts about the runtime that wrote the dump that differ between Go releases, each
/// learnt by the probe while it ran (fixtures/producers/go/internal/probekit/facts.go); spec/FORMAT.md's version table says
/// from which release each holds.
/// </summary>
/// <param name="Release">The gc release (<c>1.22</c>) parsed from runtime.Version(); null for gccgo.</param>
/// <param name="MallocHeaders">Pointer-carrying small objects above 512 bytes (128 on 32-bit) start 8 bytes into their slot,
/// after a word holding their type (learnt from the program's own memory).</param>
/// <param name="ProfileBuckets">A memory-profile bucket exists, so the dump has mem_prof and alloc_sample records (learnt from
/// memstats BuckHashSys).</param>
/// <param name="DumperWaitReason">The dumping goroutine's wait reason, or null where it is stale (not checked).</param>
/// <param name="PanicDeferRecords"><c>executed</c>: a panicking goroutine has a defer record for every defer statement executed
/// (open-coded ones and the running one included); <c>pending</c>: only for the non-open-coded ones not yet started.</param>
public sealed record RuntimeFacts(string? Release, bool MallocHeaders, bool ProfileBuckets, string? DumperWaitReason, string PanicDeferRecords)
{
    internal static RuntimeFacts Read(ManifestReader r, JsonElement e)
    {
        var defers = r.String(e, "panic_defer_records");
        if (defers is not ("executed" or "pending"))
        {
            throw r.Error($"runtime.panic_defer_records is \"{defers}\", not executed or pending");
        }

        return new RuntimeFacts(r.TryString(e, "release"), r.Bool(e, "malloc_headers"), r.Bool(e, "profile_buckets"),
            r.TryString(e, "dumper_wait_reason"), defers);
    }
}

/// <summary>Bytes expected at an offset of an object's contents.</summary>
public sealed record ManifestMarker(int Offset, byte[] Bytes);

/// <summary>A pointer the program stored: the word at <see cref="Offset"/> holds <see cref="Target"/>.</summary>
public sealed record ManifestPointer(string Field, ulong Offset, ulong Target);

/// <summary>A heap object the program made (<c>objects[]</c>).</summary>
/// <param name="Address">Where its object record starts: the Go value's address, or the malloc header's.</param>
/// <param name="ValueOffset">Where the Go value starts in the record: 8 after a malloc header, else 0. Alloc samples point there.</param>
/// <param name="ScalarOffsets">Words that hold an address the GC does not follow (a malloc header's type): no pointer field there.</param>
public sealed record ManifestObject(
    string Name,
    string GoType,
    ulong Address,
    ulong Size,
    bool Noscan,
    bool AllocSampled,
    IReadOnlyList<ManifestMarker> Markers,
    IReadOnlyList<ManifestPointer> Pointers,
    long? PointerWords,
    IReadOnlyList<ulong> IfaceTabOffsets,
    string? Finalizer,
    ulong ValueOffset = 0,
    IReadOnlyList<ulong>? ScalarOffsets = null)
{
    internal static ManifestObject Read(ManifestReader r, JsonElement e) => new(
        r.String(e, "name"),
        r.String(e, "go_type"),
        r.Hex(e, "address"),
        (ulong)r.Long(e, "size"),
        r.Bool(e, "noscan"),
        r.Bool(e, "alloc_sampled"),
        r.Array(e, "markers", m => new ManifestMarker(r.Int(m, "offset"), r.HexBytes(m, "bytes"))),
        r.Array(e, "pointers", p => new ManifestPointer(r.String(p, "field"), (ulong)r.Long(p, "offset"), r.Hex(p, "target"))),
        r.TryLong(e, "pointer_words"),
        r.Array(e, "iface_tab_offsets", o => (ulong)r.LongValue(o, "iface_tab_offsets[]")),
        r.TryString(e, "finalizer"),
        (ulong)(r.TryLong(e, "value_offset") ?? 0),
        r.Array(e, "scalar_offsets", o => (ulong)r.LongValue(o, "scalar_offsets[]")));
}

/// <summary>A global variable holding a pointer (<c>globals[]</c>).</summary>
public sealed record ManifestGlobal(string Name, string Segment, ulong Address, ulong PointsTo)
{
    internal static ManifestGlobal Read(ManifestReader r, JsonElement e)
    {
        var segment = r.String(e, "segment");
        if (segment is not ("data" or "bss"))
        {
            throw r.Error($"globals[].segment is \"{segment}\", not data or bss");
        }

        return new ManifestGlobal(r.String(e, "name"), segment, r.Hex(e, "address"), r.Hex(e, "points_to"));
    }
}

/// <summary>An interface value's words (<c>itabs[]</c>): <see cref="Tab"/> is word 0, <see cref="Type"/> the dynamic type.</summary>
public sealed record ManifestItab(string Interface, string GoType, ulong Tab, ulong Type)
{
    internal static ManifestItab Read(ManifestReader r, JsonElement e) =>
        new(r.String(e, "interface"), r.String(e, "go_type"), r.Hex(e, "tab"), r.Hex(e, "type"));
}

/// <summary>many-itabs: lower bounds on distinct itabs and types, and whether type records must repeat.</summary>
public sealed record ItabSummary(int GeneratedTypes, int Interfaces, int MinDistinctItabs, int MinDistinctTypes, bool ExpectRepeatedTypes)
{
    internal static ItabSummary Read(ManifestReader r, JsonElement e) => new(
        r.Int(e, "generated_types"), r.Int(e, "interfaces"), r.Int(e, "min_distinct_itabs"), r.Int(e, "min_distinct_types"),
        r.Bool(e, "expect_repeated_types"));
}

/// <summary>Objects with a registered finalizer, objects whose finalizer is queued, and the one whose finalizer runs.</summary>
public sealed record ManifestFinalizers(IReadOnlyList<ulong> Live, IReadOnlyList<ulong> Queued, ulong? Running)
{
    internal static ManifestFinalizers Read(ManifestReader r, JsonElement e) => new(
        r.Array(e, "live", a => r.HexValue(a, "finalizers.live[]")),
        r.Array(e, "queued", a => r.HexValue(a, "finalizers.queued[]")),
        r.TryHex(e, "running"));
}

/// <summary>A goroutine the program made (<c>goroutines.created[]</c>).</summary>
/// <param name="WaitReason">Expected wait reason; null: not checked (stale unless the status is 4).</param>
/// <param name="MinFramesNamed">At least this many frames are named <see cref="Function"/> (default 1).</param>
/// <param name="EntryFunction">The function the goroutine started in, from its traceback (<c>entry_function</c>; the
/// runtime's for the finalizer goroutine, which changed name in Go 1.26); null: not recorded.</param>
public sealed record CreatedGoroutine(string Role, ulong Goid, string Function, ulong Status, string? WaitReason, int MinFramesNamed, string? EntryFunction = null)
{
    internal static CreatedGoroutine Read(ManifestReader r, JsonElement e) => new(
        r.String(e, "role"), (ulong)r.Long(e, "goid"), r.String(e, "function"), (ulong)r.Long(e, "status"),
        r.TryString(e, "wait_reason"), (int)(r.TryLong(e, "min_frames_named") ?? 1), r.TryString(e, "entry_function"));
}

/// <summary>Defer statements executed on a panicking goroutine.</summary>
public sealed record ManifestDefers(string Function, int DeferStatements, bool OpenCoded);

/// <summary>A panic in flight (<c>panics[]</c>).</summary>
/// <param name="ExpectedDeferRecords">The goroutine's defer records while the panic runs (<c>defer_records</c>; which ones
/// depends on the release, see <see cref="RuntimeFacts.PanicDeferRecords"/>); absent in older manifests: one per executed
/// defer statement.</param>
public sealed record ManifestPanic(ulong Goid, ulong ValueType, ulong ValueData, IReadOnlyList<ManifestDefers> Defers, int? ExpectedDeferRecords = null)
{
    public int DeferRecords => ExpectedDeferRecords ?? Defers.Sum(d => d.DeferStatements);

    internal static ManifestPanic Read(ManifestReader r, JsonElement e) => new(
        (ulong)r.Long(e, "goid"), r.Hex(e, "value_type"), r.Hex(e, "value_data"),
        r.Array(e, "defers", d => new ManifestDefers(r.String(d, "function"), r.Int(d, "defer_statements"), r.Bool(d, "open_coded"))),
        r.TryLong(e, "defer_records") is { } n ? checked((int)n) : null);
}

/// <summary>The memory profile rate the program set (1: every allocation is sampled).</summary>
public sealed record ManifestMemProf(int Rate);

/// <summary>The <c>dump</c> section: the dumping goroutine, NumGoroutine, and memstats just before and after.</summary>
public sealed record DumpMoment(ulong DumperGoid, ulong NumGoroutine, IReadOnlyDictionary<string, ulong> Before, IReadOnlyDictionary<string, ulong> After)
{
    internal static DumpMoment Read(ManifestReader r, JsonElement e)
    {
        var memstats = r.Object(e, "memstats");
        return new DumpMoment((ulong)r.Long(e, "dumper_goid"), (ulong)r.Long(e, "num_goroutine"),
            ReadStats(r, r.Object(memstats, "before")), ReadStats(r, r.Object(memstats, "after")));
    }

    // runtime.MemStats names with decimal-string values; PauseNs (an array) is information only.
    private static Dictionary<string, ulong> ReadStats(ManifestReader r, JsonElement e)
    {
        var stats = new Dictionary<string, ulong>(StringComparer.Ordinal);
        foreach (var p in e.EnumerateObject())
        {
            if (p.Value.ValueKind == JsonValueKind.String)
            {
                stats[p.Name] = r.DecValue(p.Value, $"memstats.{p.Name}");
            }
        }

        return stats;
    }
}

/// <summary>The manifest is not what schema 1 describes.</summary>
public sealed class ManifestException : Exception
{
    public ManifestException()
    {
    }

    public ManifestException(string message)
        : base(message)
    {
    }

    public ManifestException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

/// <summary>Typed access to manifest JSON with messages that name the file and the key.</summary>
internal sealed class ManifestReader(string source)
{
    public ManifestException Error(string message) => new($"{source}: {message}");

    private JsonElement Required(JsonElement e, string key, JsonValueKind kind)
    {
        if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(key, out var v))
        {
            throw Error($"missing key \"{key}\"");
        }

        if (v.ValueKind != kind && !(kind == JsonValueKind.True && v.ValueKind == JsonValueKind.False))
        {
            throw Error($"\"{key}\" is {v.ValueKind}, expected {kind}");
        }

        return v;
    }

    private static JsonElement? Optional(JsonElement e, string key) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(key, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;

    public JsonElement Object(JsonElement e, string key) => Required(e, key, JsonValueKind.Object);

    public static JsonElement? TryObject(JsonElement e, string key) => Optional(e, key) is { ValueKind: JsonValueKind.Object } v ? v : null;

    public string String(JsonElement e, string key) => Required(e, key, JsonValueKind.String).GetString()!;

    public string? TryString(JsonElement e, string key) => Optional(e, key) is { } v ? StringValue(v, key) : null;

    private string StringValue(JsonElement v, string key) =>
        v.ValueKind == JsonValueKind.String ? v.GetString()! : throw Error($"\"{key}\" is {v.ValueKind}, expected a string");

    public bool Bool(JsonElement e, string key) => Required(e, key, JsonValueKind.True).GetBoolean();

    public int Int(JsonElement e, string key) => checked((int)Long(e, key));

    public long Long(JsonElement e, string key) => LongValue(Required(e, key, JsonValueKind.Number), key);

    public long? TryLong(JsonElement e, string key) => Optional(e, key) is { } v ? LongValue(v, key) : null;

    public long LongValue(JsonElement v, string key) =>
        v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) && n >= 0 ? n : throw Error($"\"{key}\" is not a non-negative integer");

    public ulong Hex(JsonElement e, string key) => HexValue(Required(e, key, JsonValueKind.String), key);

    public ulong? TryHex(JsonElement e, string key) => Optional(e, key) is { } v ? HexValue(v, key) : null;

    public ulong HexValue(JsonElement v, string key)
    {
        var s = StringValue(v, key);
        if (!s.StartsWith("0x", StringComparison.Ordinal)
            || !ulong.TryParse(s.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value))
        {
            throw Error($"\"{key}\" is \"{s}\", not a 0x… hex word");
        }

        return value;
    }

    public ulong DecValue(JsonElement v, string key)
    {
        var s = StringValue(v, key);
        return ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Error($"\"{key}\" is \"{s}\", not a decimal string");
    }

    public byte[] HexBytes(JsonElement e, string key)
    {
        var s = String(e, key);
        try
        {
            return Convert.FromHexString(s);
        }
        catch (FormatException)
        {
            throw Error($"\"{key}\" is not a hex byte string");
        }
    }

    public IReadOnlyList<T> Array<T>(JsonElement e, string key, Func<JsonElement, T> read)
    {
        if (Optional(e, key) is not { } v)
        {
            return [];
        }

        if (v.ValueKind != JsonValueKind.Array)
        {
            throw Error($"\"{key}\" is {v.ValueKind}, expected an array");
        }

        var items = new List<T>(v.GetArrayLength());
        foreach (var item in v.EnumerateArray())
        {
            items.Add(read(item));
        }

        return items;
    }
}
