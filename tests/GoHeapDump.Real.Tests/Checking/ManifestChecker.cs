using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using GoHeapDump.Real.Tests.Manifests;

namespace GoHeapDump.Real.Tests.Checking;

/// <summary>
/// Checks a real heap dump against its probe's manifest: the ground truth the Go program recorded about its own
/// heap (fixtures/producers/go/README.md, "How a test should check a dump against its manifest").
/// </summary>
/// <remarks>
/// <para>One streaming pass through any <see cref="IHeapDumpReader"/>. Memory does not grow with the dump: a manifest
/// object, global or segment is checked when its record goes by and only the results are kept; beyond that the
/// checker remembers a few words per goroutine, itab, distinct type, finalizer and defer/panic owner, and the
/// memstats record. A 70 MB dump with a million-entry field list costs what the reader needs for that record.</para>
/// <para>Producer-aware (<see cref="ProducerProfile"/>): where a producer writes no records of a kind (gccgo: frames,
/// types, itabs, data, bss) the checks that need them become one check that the dump holds none.</para>
/// </remarks>
public static class ManifestChecker
{
    /// <summary>Reads the whole dump from <paramref name="reader"/> and checks it against <paramref name="manifest"/>.</summary>
    /// <param name="manifest">The probe's manifest.</param>
    /// <param name="reader">A reader positioned after the header.</param>
    /// <param name="name">The dump's name for messages.</param>
    /// <returns>Every check's outcome; a parse error is a failed <c>dump.parses</c> check, not an exception.</returns>
    public static CheckReport Check(ProbeManifest manifest, IHeapDumpReader reader, string name)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(reader);
        var run = new CheckRun(manifest, ProducerProfile.For(manifest.Go.Compiler), name);
        run.Header(reader.Version);
        try
        {
            while (reader.Read() is { } record)
            {
                run.Observe(record);
            }
        }
        catch (HeapDumpFormatException e)
        {
            return run.Abort(e);
        }

        return run.Finish();
    }
}

/// <summary>The state of one check pass.</summary>
internal sealed class CheckRun
{
    // Non-cumulative memstats may drift while the runtime starts an M, grows a stack or scavenges between the
    // manifest's snapshots and the dump's own reading (README: "Memstats drift").
    private const ulong MemStatByteTolerance = 1 << 20;
    private const ulong MemStatObjectTolerance = 256;

    // runtime.MemStats names of the memstats record's 24 scalars, in wire order (Go: runtime/heapdump.go dumpmemstats).
    private static readonly string[] MemStatNames =
    [
        "Alloc", "TotalAlloc", "Sys", "Lookups", "Mallocs", "Frees", "HeapAlloc", "HeapSys", "HeapIdle", "HeapInuse",
        "HeapReleased", "HeapObjects", "StackInuse", "StackSys", "MSpanInuse", "MSpanSys", "MCacheInuse", "MCacheSys",
        "BuckHashSys", "GCSys", "OtherSys", "NextGC", "LastGC", "PauseTotalNs",
    ];

    private readonly ProbeManifest _m;
    private readonly ProducerProfile _producer;
    private readonly CheckReport _report;

    // Manifest lookups.
    private readonly Dictionary<ulong, ManifestObject> _objectsByAddress = [];
    private readonly HashSet<ulong> _objectsFound = [];
    private readonly HashSet<ulong> _sampledWanted = [];
    private readonly HashSet<ulong> _sampledFound = [];
    private readonly HashSet<ManifestGlobal> _globalsFound = [];
    private readonly Dictionary<ulong, (CreatedGoroutine Goroutine, byte[] Function)> _createdByGoid = [];

    // What the dump holds.
    private readonly long[] _counts = new long[HeapDumpFormat.MaxRecordTag + 1];
    private HeaderVersion _version;
    private ParamsRecord? _params;
    private int _paramsCount;
    private bool _eofSeen;
    private ulong _objectLow = ulong.MaxValue;
    private ulong _objectHigh;
    private ulong _objectBytes;
    private readonly Dictionary<ulong, long> _firstTypeIndex = [];
    private long _typeRepeats;
    private readonly Dictionary<ulong, (ulong Type, bool TypeSeenBefore)> _itabs = [];
    private readonly HashSet<ulong> _finalizers = [];
    private readonly HashSet<ulong> _queued = [];
    private long _finalizerTypeMismatches;
    private MemStatsRecord? _memStats;

    // Goroutines and what follows each one.
    private readonly Dictionary<ulong, GoroutineState> _goroutinesByGoid = [];
    private readonly Dictionary<ulong, long> _defersByGoroutine = [];
    private readonly Dictionary<ulong, PanicRecord> _firstPanicByGoroutine = [];
    private GoroutineState? _current;
    private long _nonSystemGoroutines;
    private long _frameChainBreaks;
    private string? _firstFrameChainBreak;
    private long _index;

    private sealed class GoroutineState(GoroutineRecord record)
    {
        public GoroutineRecord Record { get; } = record;
        public long Frames { get; set; }
        public ulong PreviousFrameSp { get; set; }
        public long FramesNamed { get; set; }
        public bool EntryFrameSeen { get; set; }
    }

    public CheckRun(ProbeManifest manifest, ProducerProfile producer, string name)
    {
        _m = manifest;
        _producer = producer;
        _report = new CheckReport(name, producer);
        foreach (var o in manifest.Objects)
        {
            _objectsByAddress[o.Address] = o;
            if (o.AllocSampled && manifest.MemProf is { Rate: 1 })
            {
                // The profile special is on the Go value, which a malloc header puts 8 bytes into the record.
                _sampledWanted.Add(o.Address + o.ValueOffset);
            }
        }

        foreach (var g in manifest.Goroutines)
        {
            _createdByGoid[g.Goid] = (g, Encoding.UTF8.GetBytes(g.Function));
        }
    }

    private void Check(string id, bool passed, string message) => _report.Add(id, passed, message);

    private static string Hex(ulong value) => "0x" + value.ToString("x", CultureInfo.InvariantCulture);

    public void Header(HeaderVersion version) => _version = version;

    public void Observe(HeapDumpRecord record)
    {
        _counts[(int)record.Kind]++;
        switch (record)
        {
            case ParamsRecord p:
                _paramsCount++;
                _params ??= p;
                break;
            case ObjectRecord o:
                ObserveObject(o);
                break;
            case TypeRecord t:
                if (!_firstTypeIndex.TryAdd(t.Address, _index))
                {
                    _typeRepeats++;
                }

                break;
            case ItabRecord i:
                _itabs.TryAdd(i.Address, (i.TypeAddress, _firstTypeIndex.ContainsKey(i.TypeAddress)));
                break;
            case GoroutineRecord g:
                _current = new GoroutineState(g);
                _goroutinesByGoid.TryAdd(g.Goid, _current);
                if (!g.IsSystem)
                {
                    _nonSystemGoroutines++;
                }

                break;
            case StackFrameRecord f:
                ObserveFrame(f);
                break;
            case DeferRecord d:
                _defersByGoroutine[d.Goroutine] = _defersByGoroutine.GetValueOrDefault(d.Goroutine) + 1;
                break;
            case PanicRecord p:
                _firstPanicByGoroutine.TryAdd(p.Goroutine, p);
                break;
            case FinalizerRecordBase f:
                (f is FinalizerRecord ? _finalizers : _queued).Add(f.Object);
                if (f.ArgType != f.ObjectType)
                {
                    _finalizerTypeMismatches++;
                }

                break;
            case SegmentRecordBase s:
                ObserveSegment(s);
                break;
            case MemStatsRecord ms:
                _memStats ??= ms;
                break;
            case AllocSampleRecord a:
                if (_sampledWanted.Contains(a.Object))
                {
                    _sampledFound.Add(a.Object);
                }

                break;
            case EofRecord:
                _eofSeen = true;
                break;
        }

        _index++;
    }

    // --- objects -------------------------------------------------------------------------------------------

    private void ObserveObject(ObjectRecord o)
    {
        _objectLow = Math.Min(_objectLow, o.Address);
        _objectHigh = Math.Max(_objectHigh, o.Address + (ulong)o.Contents.Length);
        _objectBytes += (ulong)o.Contents.Length;
        if (!_objectsByAddress.TryGetValue(o.Address, out var want) || !_objectsFound.Add(o.Address))
        {
            return;
        }

        var label = $"object {want.Name} ({want.GoType}) at {Hex(want.Address)}";
        var contents = o.Contents.Span;
        Check("object.exists", true, $"{label}: an object record exists");
        Check("object.size", (ulong)contents.Length >= want.Size,
            $"{label}: contents {contents.Length} bytes, Go size {want.Size} (the record holds the whole slot)");
        foreach (var marker in want.Markers)
        {
            var end = (long)marker.Offset + marker.Bytes.Length;
            var ok = end <= contents.Length && contents.Slice(marker.Offset, marker.Bytes.Length).SequenceEqual(marker.Bytes);
            Check("object.marker", ok, $"{label}: marker {Encoding.ASCII.GetString(marker.Bytes)} at +{marker.Offset}"
                + (ok ? "" : end <= contents.Length ? $", found {Convert.ToHexStringLower(contents.Slice(marker.Offset, marker.Bytes.Length))}" : ", past the contents"));
        }

        foreach (var p in want.Pointers)
        {
            var word = Word(contents, p.Offset);
            Check("object.pointer-word", word == p.Target,
                $"{label}: word at +{p.Offset} ({p.Field}) is {(word is { } w ? Hex(w) : "past the contents")}, want {Hex(p.Target)}");
            Check("object.pointer-field", HasPointerField(o.Fields, p.Offset),
                $"{label}: a pointer field is listed at +{p.Offset} ({p.Field})");
        }

        if (want.Noscan)
        {
            Check("object.noscan", o.Fields.Count == 0, $"{label}: noscan, {o.Fields.Count} fields listed, want 0");
        }

        if (want.PointerWords is { } words)
        {
            Check("object.pointer-words", o.Fields.Count == words, $"{label}: {o.Fields.Count} fields listed, want {words}");
        }

        foreach (var offset in want.ScalarOffsets ?? [])
        {
            Check("object.scalar-word", !HasPointerField(o.Fields, offset),
                $"{label}: the word at +{offset} (a malloc header's type) is not listed as a pointer");
        }

        foreach (var offset in want.IfaceTabOffsets)
        {
            var listed = HasPointerField(o.Fields, offset);
            Check("object.iface-tab-word", listed == _producer.ListsInterfaceTabWord,
                $"{label}: interface tab word at +{offset} {(listed ? "is" : "is not")} listed as a pointer; "
                + $"{_producer.Compiler} {(_producer.ListsInterfaceTabWord ? "lists" : "does not list")} it");
        }
    }

    /// <summary>The pointer-sized word at <paramref name="offset"/> in the manifest's byte order, or null past the end.</summary>
    private ulong? Word(ReadOnlySpan<byte> contents, ulong offset)
    {
        var size = (ulong)_m.Go.PtrSize;
        if (offset > (ulong)contents.Length || (ulong)contents.Length - offset < size)
        {
            return null;
        }

        var bytes = contents.Slice((int)offset, (int)size);
        return (size, _m.Go.BigEndian) switch
        {
            (4, false) => BinaryPrimitives.ReadUInt32LittleEndian(bytes),
            (4, true) => BinaryPrimitives.ReadUInt32BigEndian(bytes),
            (_, false) => BinaryPrimitives.ReadUInt64LittleEndian(bytes),
            (_, true) => BinaryPrimitives.ReadUInt64BigEndian(bytes),
        };
    }

    private static bool HasPointerField(EquatableArray<Field> fields, ulong offset)
    {
        foreach (var f in fields.AsSpan())
        {
            if (f.Kind == FieldKind.Ptr && f.Offset == offset)
            {
                return true;
            }
        }

        return false;
    }

    // --- globals -------------------------------------------------------------------------------------------

    private void ObserveSegment(SegmentRecordBase s)
    {
        var segment = s is DataRecord ? "data" : "bss";
        var end = s.Address + (ulong)s.Contents.Length;
        foreach (var g in _m.Globals)
        {
            if (g.Segment != segment || g.Address < s.Address || g.Address >= end || !_globalsFound.Add(g))
            {
                continue;
            }

            var label = $"global {g.Name} at {Hex(g.Address)}";
            var offset = g.Address - s.Address;
            Check("global.segment", true, $"{label}: lies in the {segment} record at {Hex(s.Address)} (+{offset})");
            var word = Word(s.Contents.Span, offset);
            Check("global.word", word == g.PointsTo,
                $"{label}: {segment} word is {(word is { } w ? Hex(w) : "past the contents")}, want {Hex(g.PointsTo)}");
            Check("global.pointer-field", HasPointerField(s.Fields, offset), $"{label}: {segment} lists a pointer field at +{offset}");
        }
    }

    // --- goroutines and frames -----------------------------------------------------------------------------

    private void ObserveFrame(StackFrameRecord f)
    {
        // Frames follow their goroutine, innermost first: depth 0, 1, …; each frame's child_sp is the sp of the
        // frame before it (0 at depth 0), and the goroutine's sp is the depth-0 frame's sp (Go: runtime/heapdump.go
        // dumpgoroutine, dumpframe).
        if (_current is not { } g)
        {
            FrameChainBreak($"frame {f.Name} (record {_index}) comes before any goroutine");
            return;
        }

        if (f.Depth != (ulong)g.Frames)
        {
            FrameChainBreak($"goroutine {g.Record.Goid}: frame {f.Name} has depth {f.Depth}, want {g.Frames}");
        }

        var wantChild = g.Frames == 0 ? 0 : g.PreviousFrameSp;
        if (f.ChildSp != wantChild)
        {
            FrameChainBreak($"goroutine {g.Record.Goid}: frame {f.Name} at depth {f.Depth} has child_sp {Hex(f.ChildSp)}, want {Hex(wantChild)}");
        }

        if (g.Frames == 0 && _producer.GoroutineSpIsFrameSp && f.Sp != g.Record.Sp)
        {
            FrameChainBreak($"goroutine {g.Record.Goid}: sp {Hex(g.Record.Sp)}, its depth-0 frame's sp {Hex(f.Sp)}");
        }

        g.Frames++;
        g.PreviousFrameSp = f.Sp;
        if (_createdByGoid.TryGetValue(g.Record.Goid, out var created))
        {
            if (f.Name.Span.SequenceEqual(created.Function))
            {
                g.FramesNamed++;
            }

            if (created.Goroutine.EntryFunction is { } entry && f.Name.ToString() == entry)
            {
                g.EntryFrameSeen = true;
            }
        }
    }

    private void FrameChainBreak(string what)
    {
        _frameChainBreaks++;
        _firstFrameChainBreak ??= what;
    }

    // --- the end ----------------------------------------------------------------------------------------------

    public CheckReport Abort(HeapDumpFormatException e)
    {
        Check("dump.parses", false, $"the dump does not parse: {e.Message}");
        _report.RecordCount = _index;
        return _report;
    }

    public CheckReport Finish()
    {
        _report.RecordCount = _index;
        Check("dump.parses", _eofSeen, _eofSeen ? $"parses to its EOF record ({_index} records)" : "the reader ended without an EOF record");
        Check("header.version", _version == HeaderVersion.Go17,
            $"header {HeapDumpFormat.VersionName(_version)}; every gc release since 1.7 and gccgo write go1.7");
        CheckParams();
        CheckObjects();
        CheckGlobals();
        CheckItabs();
        CheckFinalizers();
        CheckGoroutines();
        CheckPanics();
        CheckMemProf();
        CheckMemStats();
        Check("producer.no-other-root", _counts[(int)RecordKind.OtherRoot] == 0,
            $"{_counts[(int)RecordKind.OtherRoot]} other_root records; no producer since Go 1.5 writes one");
        AddFacts();
        return _report;
    }

    private void CheckParams()
    {
        Check("params.count", _paramsCount == 1, $"{_paramsCount} params records, want 1");
        if (_params is not { } p)
        {
            return;
        }

        var go = _m.Go;
        Check("params.byte-order", p.BigEndian == go.BigEndian, $"big_endian {p.BigEndian}, byte order {go.ByteOrder}");
        Check("params.ptr-size", p.PtrSize == (ulong)go.PtrSize, $"ptr_size {p.PtrSize}, want {go.PtrSize}");
        var arch = p.Arch?.ToString();
        Check("params.arch", arch == go.Goarch, $"arch \"{arch}\", GOARCH \"{go.Goarch}\"");
        Check("params.ncpu", p.Ncpu == go.NumCpu, $"ncpu {p.Ncpu}, runtime.NumCPU() {go.NumCpu}");
        if (_producer.VersionInfoIsRuntimeVersion)
        {
            Check("params.version", p.VersionInfo.ToString() == go.Version, $"version_info \"{p.VersionInfo}\", runtime.Version() \"{go.Version}\"");
        }

        var objects = _counts[(int)RecordKind.Object];
        Check("params.heap-range", objects == 0 || (_objectLow >= p.HeapStart && _objectHigh <= p.HeapEnd),
            $"{objects} objects span [{Hex(_objectLow)}, {Hex(_objectHigh)}), heap range [{Hex(p.HeapStart)}, {Hex(p.HeapEnd)})");
    }

    private void CheckObjects()
    {
        foreach (var o in _m.Objects)
        {
            if (!_objectsFound.Contains(o.Address))
            {
                Check("object.exists", false, $"object {o.Name} ({o.GoType}) at {Hex(o.Address)}: no object record at this address");
            }

            var sampled = o.Address + o.ValueOffset;
            if (_sampledWanted.Contains(sampled))
            {
                Check("object.alloc-sample", _sampledFound.Contains(sampled),
                    $"object {o.Name} at {Hex(o.Address)}: an alloc_sample record exists for {Hex(sampled)} (memory profile rate 1)");
            }
        }
    }

    private void CheckGlobals()
    {
        var segments = _counts[(int)RecordKind.Data] + _counts[(int)RecordKind.Bss];
        if (!_producer.WritesDataAndBss)
        {
            Check("producer.no-data-bss", segments == 0, $"{segments} data/bss records; {_producer.Compiler} writes none");
            return;
        }

        foreach (var g in _m.Globals)
        {
            if (!_globalsFound.Contains(g))
            {
                Check("global.segment", false, $"global {g.Name} at {Hex(g.Address)}: no {g.Segment} record covers it");
            }
        }
    }

    private void CheckItabs()
    {
        var types = _counts[(int)RecordKind.Type];
        var itabs = _counts[(int)RecordKind.Itab];
        if (!_producer.WritesTypesAndItabs)
        {
            Check("producer.no-types-itabs", types == 0 && itabs == 0, $"{types} type and {itabs} itab records; {_producer.Compiler} writes none");
            return;
        }

        foreach (var it in _m.Itabs)
        {
            var label = $"itab {Hex(it.Tab)} ({it.Interface}, {it.GoType})";
            if (!_itabs.TryGetValue(it.Tab, out var found))
            {
                Check("itab.exists", false, $"{label}: no itab record");
                continue;
            }

            Check("itab.exists", found.Type == it.Type, $"{label}: itab record with type {Hex(found.Type)}, want {Hex(it.Type)}");
            Check("itab.type-precedes", found.TypeSeenBefore, $"{label}: a type record for {Hex(found.Type)} comes before it");
        }

        if (_m.ItabSummary is { } s)
        {
            Check("itab.distinct-itabs", _itabs.Count >= s.MinDistinctItabs, $"{_itabs.Count} distinct itabs, at least {s.MinDistinctItabs}");
            Check("itab.distinct-types", _firstTypeIndex.Count >= s.MinDistinctTypes, $"{_firstTypeIndex.Count} distinct types, at least {s.MinDistinctTypes}");
            if (s.ExpectRepeatedTypes)
            {
                Check("itab.repeated-types", _typeRepeats > 0,
                    $"{_typeRepeats} repeated type records ({types} in all): more types than the dump's type cache holds");
            }
        }
    }

    private void CheckFinalizers()
    {
        if (_m.Finalizers is not { } f)
        {
            return;
        }

        foreach (var a in f.Live)
        {
            Check("finalizer.live", _finalizers.Contains(a) && !_queued.Contains(a),
                $"{Hex(a)}: registered finalizer record {(_finalizers.Contains(a) ? "present" : "missing")}, queued record {(_queued.Contains(a) ? "present (wrong)" : "absent")}");
        }

        // gccgo scans stacks conservatively: a stale stack word can keep a doomed object alive, so its finalizer is
        // never queued. That is the probe failing to make the state it promised, not a format violation.
        var probeNote = _producer.Compiler == "gccgo" ? " (if missing on gccgo: a probe problem, conservative stack scanning kept the object alive; not a format violation)" : "";
        foreach (var a in f.Queued)
        {
            Check("finalizer.queued", _queued.Contains(a) && !_finalizers.Contains(a),
                $"{Hex(a)}: queued finalizer record {(_queued.Contains(a) ? "present" : "missing")}, registered record {(_finalizers.Contains(a) ? "present (wrong)" : "absent")}{probeNote}");
        }

        if (f.Running is { } running)
        {
            Check("finalizer.running", _queued.Contains(running),
                $"{Hex(running)}: the object whose finalizer is running (blocked) is still listed as queued");
        }
    }

    private void CheckGoroutines()
    {
        var frames = _counts[(int)RecordKind.StackFrame];
        if (_producer.WritesStackFrames)
        {
            Check("frames.chain", frames > 0 && _frameChainBreaks == 0,
                $"{frames} frames: depths count up from 0, child_sp links to the previous frame, depth 0's sp is the goroutine's sp"
                + (_frameChainBreaks > 0 ? $"; {_frameChainBreaks} breaks, first: {_firstFrameChainBreak}" : ""));
        }
        else
        {
            Check("producer.no-frames", frames == 0, $"{frames} stack_frame records; {_producer.Compiler} writes none");
        }

        foreach (var c in _m.Goroutines)
        {
            var label = $"goroutine {c.Goid} ({c.Role})";
            if (!_goroutinesByGoid.TryGetValue(c.Goid, out var g))
            {
                Check("goroutine.present", false, $"{label}: no goroutine record");
                continue;
            }

            var r = g.Record;
            Check("goroutine.present", true, $"{label}: a goroutine record exists");
            Check("goroutine.status", r.Status == c.Status, $"{label}: status {r.Status}, want {c.Status}");
            if (c.WaitReason is { } reason)
            {
                Check("goroutine.wait-reason", r.WaitReason.ToString() == reason, $"{label}: wait reason \"{r.WaitReason}\", want \"{reason}\"");
            }

            if (_producer.WritesStackFrames)
            {
                Check("goroutine.frames-named", g.FramesNamed >= c.MinFramesNamed,
                    $"{label}: {g.FramesNamed} frames named {c.Function}, want at least {c.MinFramesNamed}");
                if (c.EntryFunction is { } entry)
                {
                    // The function the traceback showed the goroutine started in (runtime.runfinq, or runtime.runFinalizers
                    // from Go 1.26, for the finalizer goroutine).
                    Check("goroutine.entry-frame", g.EntryFrameSeen, $"{label}: a frame named {entry}, the function it started in");
                }
            }
        }

        if (_m.Dump is not { } d)
        {
            return;
        }

        // The dumping goroutine is waiting (status 4) while the dump is written on the system stack; its wait
        // reason is stale (Go: runtime/heapdump.go runtime_debug_WriteHeapDump sets it on the wrong g).
        var dumper = _goroutinesByGoid.GetValueOrDefault(d.DumperGoid);
        Check("goroutine.dumper", dumper is { Record.Status: 4 },
            $"dumping goroutine {d.DumperGoid}: {(dumper is null ? "no record" : $"status {dumper.Record.Status}")}, want status 4");

        // Go 1.21+ set "dumping heap" on the dumping goroutine itself (casGToWaiting(gp.m.curg, …)); 1.19 set it on g0,
        // leaving the goroutine's stale reason (the manifest's null).
        if (_m.Runtime?.DumperWaitReason is { } dumperReason && dumper is not null)
        {
            Check("goroutine.dumper-wait-reason", dumper.Record.WaitReason.ToString() == dumperReason,
                $"dumping goroutine {d.DumperGoid}: wait reason \"{dumper.Record.WaitReason}\", want \"{dumperReason}\"");
        }

        // NumGoroutine does not count the finalizer goroutine, and the dump counts it as a user goroutine while it
        // runs a user finalizer (Go: runtime/traceback.go isSystemGoroutine, fingRunning).
        var finalizerRunning = _m.Goroutines.Count(c => c.Role == "finalizer");
        var want = d.NumGoroutine + (ulong)finalizerRunning;
        Check("goroutine.count", (ulong)_nonSystemGoroutines == want,
            $"{_nonSystemGoroutines} goroutine records with is_system false, want runtime.NumGoroutine() {d.NumGoroutine}"
            + (finalizerRunning > 0 ? $" + {finalizerRunning} (the finalizer goroutine running a user finalizer)" : ""));
    }

    private void CheckPanics()
    {
        foreach (var pm in _m.Panics)
        {
            var label = $"panic on goroutine {pm.Goid}";
            if (!_goroutinesByGoid.TryGetValue(pm.Goid, out var g) || !_firstPanicByGoroutine.TryGetValue(g.Record.Address, out var p))
            {
                Check("panic.present", false, $"{label}: {(g is null ? "no goroutine record" : "no panic record for the goroutine")}");
                continue;
            }

            Check("panic.present", true, $"{label}: a panic record at {Hex(p.Address)}");
            Check("panic.value", p.ArgType == pm.ValueType && p.ArgData == pm.ValueData,
                $"{label}: arg ({Hex(p.ArgType)}, {Hex(p.ArgData)}), want ({Hex(pm.ValueType)}, {Hex(pm.ValueData)})");
            Check("panic.top-panic", g.Record.TopPanic == p.Address,
                $"{label}: goroutine's top_panic {Hex(g.Record.TopPanic)} is its panic record {Hex(p.Address)}");
            var defers = _defersByGoroutine.GetValueOrDefault(g.Record.Address);
            Check("panic.defers", defers == pm.DeferRecords,
                $"{label}: {defers} defer records, one per executed defer statement ({pm.DeferRecords})");
        }
    }

    private void CheckMemProf()
    {
        var buckets = _counts[(int)RecordKind.MemProf];
        var samples = _counts[(int)RecordKind.AllocSample];
        if (_m.MemProf is { Rate: 1 })
        {
            Check("memprof.present", buckets > 0 && samples > 0, $"{buckets} mem_prof and {samples} alloc_sample records with MemProfileRate 1");
        }

        // Profile buckets are what dumpmemprof walks (Go: runtime/heapdump.go); the probe learnt from memstats whether any
        // exists, which also covers a runtime that sampled an allocation before it turned profiling off (Go 1.26+).
        if (_m.Runtime is { } rt)
        {
            Check("memprof.buckets", rt.ProfileBuckets ? buckets > 0 : buckets == 0 && samples == 0,
                $"{buckets} mem_prof and {samples} alloc_sample records; profile buckets {(rt.ProfileBuckets ? "exist" : "do not exist")} (memstats BuckHashSys)");
        }
        else if (_m.Go.MemProfileRate == 0)
        {
            // Older manifests: without profiling there is nothing to write.
            Check("memprof.absent", buckets == 0 && samples == 0, $"{buckets} mem_prof and {samples} alloc_sample records with MemProfileRate 0");
        }
    }

    private void CheckMemStats()
    {
        var count = _counts[(int)RecordKind.MemStats];
        Check("memstats.count", count == 1, $"{count} mem_stats records, want 1");
        if (_memStats is not { } ms || _m.Dump is not { } d)
        {
            return;
        }

        ulong Get(IReadOnlyDictionary<string, ulong> s, string name) => s.TryGetValue(name, out var v) ? v : throw new InvalidOperationException(
            $"manifest memstats lack {name}");

        var gcBefore = Get(d.Before, "NumGC");
        var gcAfter = Get(d.After, "NumGC");
        Check("memstats.NumGC", gcBefore <= ms.NumGC && ms.NumGC <= gcAfter, $"NumGC: before {gcBefore} <= dump {ms.NumGC} <= after {gcAfter}");
        for (var i = 0; i < MemStatNames.Length; i++)
        {
            var name = MemStatNames[i];
            var before = Get(d.Before, name);
            var after = Get(d.After, name);
            var value = ms.Scalars[i];
            switch (name)
            {
                case "TotalAlloc" or "Mallocs" or "Frees" or "PauseTotalNs":
                    // Cumulative: between the two snapshots.
                    Check($"memstats.{name}", before <= value && value <= after, $"{name}: before {before} <= dump {value} <= after {after}");
                    break;
                case "LastGC" or "NextGC":
                    // Change only with a GC.
                    if (gcBefore == gcAfter)
                    {
                        Check($"memstats.{name}", value == before, $"{name}: dump {value} = before {before} (no GC in between)");
                    }

                    break;
                default:
                    var tolerance = name == "HeapObjects" ? MemStatObjectTolerance : MemStatByteTolerance;
                    var low = Math.Min(before, after);
                    var high = Math.Max(before, after);
                    Check($"memstats.{name}", value + tolerance >= low && value <= high + tolerance,
                        $"{name}: dump {value} within {tolerance} of [{low}, {high}]");
                    break;
            }
        }
    }

    private void AddFacts()
    {
        var counts = new StringBuilder();
        for (var tag = 0; tag < _counts.Length; tag++)
        {
            if (_counts[tag] > 0)
            {
                counts.Append(CultureInfo.InvariantCulture, $" {((RecordKind)tag).Name()}={_counts[tag]}");
            }
        }

        _report.Fact($"records:{counts}");
        _report.Fact($"object bytes {_objectBytes}; memstats HeapObjects {(_memStats is { } ms ? ms.HeapObjects.ToString(CultureInfo.InvariantCulture) : "-")}");
        _report.Fact($"distinct types {_firstTypeIndex.Count}, repeated type records {_typeRepeats}; finalizer records with arg_type != object_type {_finalizerTypeMismatches}");
        if (_params is { } p)
        {
            _report.Fact($"params: version_info \"{p.VersionInfo}\", heap [{Hex(p.HeapStart)}, {Hex(p.HeapEnd)})");
        }
    }
}
