using System.Diagnostics;
using System.Globalization;

namespace GoHeapDump.Validation;

/// <summary>
/// Validates dumps against the whole rule catalogue in one streaming pass over the fast reader's record
/// views. Never throws on bad input: every violation is a <see cref="Diagnostic"/>; a structure error
/// (S01–S09) ends the file's validation. I/O errors propagate.
/// </summary>
/// <remarks>
/// Memory: the reader's buffer (1 MiB, or the largest record); the objects as runs of adjacent objects, 16
/// bytes per run (so at most 16 bytes per object) plus one 1 MiB chunk while they are sorted; and for what
/// cross-record rules must remember: a hash set entry per distinct type, memprof bucket, OS thread and
/// goroutine, and 40 bytes per goroutine with an m, per finalizer and per alloc sample. Nothing else grows
/// with the file. <see cref="ValidationOptions.MaxMemory"/> caps those tables further.
/// </remarks>
public static class HeapDumpValidator
{
    /// <summary>Validates a file.</summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static ValidationReport ValidateFile(string path, ValidationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var stream = OpenFile(path);
        return Validate(stream, path, options, () => OpenFile(path));
    }

    /// <summary>Validates a stream positioned at the header.</summary>
    /// <param name="stream">The input.</param>
    /// <param name="name">Name for the report.</param>
    /// <param name="options">Profile, caps, progress.</param>
    /// <param name="reopen">Opens the same input again from the start, for the second pass that locates
    /// overlapping objects; null when the input can be read only once (those diagnostics then have no offset).</param>
    public static ValidationReport Validate(Stream stream, string name, ValidationOptions? options = null, Func<Stream>? reopen = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        options ??= new ValidationOptions();
        var start = stream.CanSeek ? stream.Position : -1;
        reopen ??= stream.CanSeek ? () => new ReopenedStream(stream, start) : null;
        var clock = Stopwatch.StartNew();
        var run = new FileValidation(name, options);
        run.Run(stream, reopen);
        if (options.CrossCheckWith is { } other && reopen is not null && run.Report.WrongInput is null)
        {
            run.Report.CrossCheckDisagreements = CrossCheck.Compare(
                new CrossCheck.Parser("fast reader", s => HeapDumpReader.Open(s, leaveOpen: false, options.BufferSize)), other, reopen,
                10, out var incomplete);
            run.Report.CrossCheckIncomplete = incomplete;
        }

        run.Report.Elapsed = clock.Elapsed;
        return run.Report;
    }

    private static FileStream OpenFile(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);

    /// <summary>The original seekable stream, rewound, without closing it on dispose.</summary>
    private sealed class ReopenedStream(Stream inner, long start) : Stream
    {
        private bool _positioned;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (!_positioned)
            {
                inner.Position = start;
                _positioned = true;
            }

            return inner.Read(buffer, offset, count);
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

/// <summary>The state of one file's validation.</summary>
internal sealed partial class FileValidation
{
    private const long ProgressStep = 4 << 20;

    private readonly ValidationOptions _options;
    private readonly int _cap;

    // Params.
    private bool _paramsSeen;
    private ulong _ptrSize;
    private bool _noLinkRegister;
    private bool _heapKnown;
    private ulong _heapStart;
    private ulong _heapEnd;
    private HeaderVersion _version;

    // Whole-file structure.
    private long _memStatsCount;
    private int _maxRank = -1;
    private RecordKind _maxRankKind;

    // The goroutine whose frames, defers and panics may follow.
    private bool _inGroup;
    private GroupPhase _phase;
    private ulong _gAddress;
    private ulong _gSp;
    private long _gSpOffset;
    private long _gIndex;
    private long _frameCount;
    private ulong _previousFrameSp;
    private ulong _expectedDefer;
    private long _deferLinkOffset;
    private long _deferLinkIndex;
    private RecordKind _deferLinkKind;
    private ulong _expectedPanic;
    private long _panicLinkOffset;
    private long _panicLinkIndex;
    private RecordKind _panicLinkKind;

    // What cross-record rules remember, and what it may cost (ValidationOptions.MaxMemory).
    private const long ReferenceBytes = 48; // a Reference (40) and its address in Finish's sorted copy (8)
    private const long SetEntryBytes = 40; // a HashSet<ulong> entry with its bucket, at the worst load after growth
    private readonly ObjectTable _objects;
    private long _reserved;
    private bool _capped;
    private readonly HashSet<ulong> _types = [];
    private readonly HashSet<ulong> _buckets = [];
    private readonly HashSet<ulong> _osThreads = [];
    private readonly HashSet<ulong> _goroutines = [];
    private readonly List<Reference> _goroutineMs = [];
    private readonly List<Reference> _objectReferences = [];

    public FileValidation(string name, ValidationOptions options)
    {
        _options = options;
        _cap = Math.Max(0, options.MaxDiagnosticsPerRule);
        Report = new ValidationReport(name, options.Profile);
        _objects = new ObjectTable { Reserve = options.MaxMemory < 0 ? null : Reserve };
    }

    /// <summary>The reader, whose current record the note names when the memory cap is reached.</summary>
    private HeapDumpReader? _reader;

    /// <summary>Reserves table memory under the cap; false (once: the tables are dropped) when it would pass it.</summary>
    private bool Reserve(long bytes)
    {
        if (_capped)
        {
            return false;
        }

        if (_options.MaxMemory < 0 || _reserved + bytes <= _options.MaxMemory)
        {
            _reserved += bytes;
            return true;
        }

        _capped = true;
        _objects.Release();
        _types.Clear();
        _types.TrimExcess();
        _buckets.Clear();
        _buckets.TrimExcess();
        _osThreads.Clear();
        _osThreads.TrimExcess();
        _goroutines.Clear();
        _goroutines.TrimExcess();
        _goids.Clear();
        _goids.TrimExcess();
        _finalized.Clear();
        _finalized.TrimExcess();
        _goroutineMs.Clear();
        _goroutineMs.TrimExcess();
        _objectReferences.Clear();
        _objectReferences.TrimExcess();
        Report.AddNote(string.Create(CultureInfo.InvariantCulture,
            $"memory cap of {_options.MaxMemory:N0} bytes for the cross-record tables reached at record #{(_reader is null ? -1 : _reader.Current.Index)} (offset {(_reader is null ? -1 : _reader.Current.Offset)}): V07, R11, R12 and R13 were not checked; R09, R10, R14, R15, R16 and R17 only before that record"),
            ["V07", "R09", "R10", "R11", "R12", "R13", "R14", "R15", "R16", "R17"]);
        return false;
    }

    /// <summary>Adds to a table-backed set when the cap allows.</summary>
    private void Remember(HashSet<ulong> set, ulong value)
    {
        if (_capped || (_options.MaxMemory >= 0 && !set.Contains(value) && !Reserve(SetEntryBytes)))
        {
            return;
        }

        set.Add(value);
    }

    /// <summary>Adds a reference to check at the end when the cap allows.</summary>
    private void Remember(List<Reference> list, Reference reference)
    {
        if (_capped || (_options.MaxMemory >= 0 && list.Count == list.Capacity && !Reserve(ReferenceBytes * Math.Max(4, list.Capacity))))
        {
            return;
        }

        list.Add(reference);
    }

    private enum GroupPhase
    {
        Frames,
        Defers,
        Panics,
    }

    /// <summary>An address a record names, checked when the whole file has been read.</summary>
    private readonly record struct Reference(ulong Address, long Offset, long Index, RecordKind Kind, FormatRule Rule);

    public ValidationReport Report { get; }

    public void Run(Stream stream, Func<Stream>? reopen)
    {
        HeapDumpReader reader;
        try
        {
            reader = HeapDumpReader.Open(stream, leaveOpen: true, _options.BufferSize);
            reader.ContentsLimit = _options.ContentsLimit;
        }
        catch (HeapDumpFormatException e)
        {
            AddStructureError(e);
            Report.BytesRead = e.Offset;
            if ((e.Rule == StructureRules.HeaderMagic || e.Offset == 0) && reopen is not null)
            {
                using var again = reopen();
                Report.WrongInput = InputSniffer.Describe(again);
            }

            return;
        }

        using (reader)
        {
            _reader = reader;
            Report.Version = reader.Version;
            _version = reader.Version;
            var nextProgress = ProgressStep;
            try
            {
                while (reader.MoveNext())
                {
                    Check(reader.Current);
                    if (reader.Position >= nextProgress)
                    {
                        _options.Progress?.Invoke(reader.Position);
                        nextProgress = reader.Position + ProgressStep;
                    }
                }
            }
            catch (HeapDumpFormatException e)
            {
                AddStructureError(e);
                Report.BytesRead = reader.Position;
                Report.RecordCount = reader.RecordIndex;
                _options.Progress?.Invoke(reader.Position);
                Report.SortDiagnostics();
                return;
            }

            Report.BytesRead = reader.Position;
            Report.RecordCount = reader.RecordIndex;
        }

        _options.Progress?.Invoke(Report.BytesRead);
        Finish(reopen);
        Report.SortDiagnostics();
    }

    private void AddStructureError(HeapDumpFormatException e)
    {
        Report.StructureError = e;
        Report.Add(e.Rule, e.Offset, e.RecordIndex, e.RecordKind, e.Detail, int.MaxValue);
    }

    private void Add(FormatRule rule, long offset, long index, RecordKind kind, string message) =>
        Report.Add(rule, offset, index, kind, message, _cap);

    private static string Hex(ulong value) => string.Create(CultureInfo.InvariantCulture, $"0x{value:x}");

    private static string N(ulong value) => value.ToString(CultureInfo.InvariantCulture);

    // Go: runtime/heapdump.go mdump — the section order S14 checks (other roots have no place: never written).
    private static int Rank(RecordKind kind) => kind switch
    {
        RecordKind.Params => 0,
        RecordKind.Type or RecordKind.Itab => 1,
        RecordKind.Object => 2,
        RecordKind.Goroutine or RecordKind.StackFrame or RecordKind.Defer or RecordKind.Panic => 3,
        RecordKind.OsThread => 4,
        RecordKind.Data => 5,
        RecordKind.Bss => 6,
        RecordKind.Finalizer => 7,
        RecordKind.QueuedFinalizer => 8,
        RecordKind.MemStats => 9,
        RecordKind.MemProf => 10,
        RecordKind.AllocSample => 11,
        RecordKind.Eof => 12,
        _ => -1,
    };

    private void Check(HeapDumpRecordView v)
    {
        var kind = v.Kind;
        if (kind == RecordKind.Object && _maxRank == 2 && v.NonMinimalUvarints == 0 && !_inGroup)
        {
            // The bulk of every dump: an object in the objects section. Same checks as below, fewer branches.
            ref var objects = ref Report.Kinds[(int)RecordKind.Object];
            objects = new KindTally(objects.Count + 1, objects.Bytes + v.Length);
            CheckObject(v);
            return;
        }

        ref var tally = ref Report.Kinds[(int)kind];
        tally = new KindTally(tally.Count + 1, tally.Bytes + v.Length);

        if (v.NonMinimalUvarints != 0)
        {
            Add(StructureRules.NonMinimalUvarint, v.FirstNonMinimalUvarintOffset, v.Index, kind,
                v.NonMinimalUvarints == 1 ? "a uvarint is longer than its value needs"
                    : string.Create(CultureInfo.InvariantCulture, $"{v.NonMinimalUvarints} uvarints in this record are longer than their values need; the first is here"));
        }

        if (v.Index == 0 && kind != RecordKind.Params)
        {
            Add(ValidationRules.ParamsFirst, v.Offset, v.Index, kind, $"the first record is {kind.Name()}, not params");
        }

        var rank = Rank(kind);
        if (rank >= 0)
        {
            if (rank < _maxRank)
            {
                Add(ValidationRules.SectionOrder, v.Offset, v.Index, kind, $"a {kind.Name()} record after {_maxRankKind.Name()} records");
            }
            else if (rank > _maxRank)
            {
                _maxRank = rank;
                _maxRankKind = kind;
            }
        }

        if (_inGroup && kind is not (RecordKind.StackFrame or RecordKind.Defer or RecordKind.Panic))
        {
            CloseGroup();
        }

        switch (kind)
        {
            case RecordKind.Object:
                CheckObject(v);
                break;
            case RecordKind.Params:
                CheckParams(v);
                break;
            case RecordKind.Goroutine:
                CheckGoroutine(v);
                break;
            case RecordKind.StackFrame:
                CheckFrame(v);
                break;
            case RecordKind.Defer:
                CheckDefer(v);
                break;
            case RecordKind.Panic:
                CheckPanic(v);
                break;
            case RecordKind.Type:
                Remember(_types, v[TypeValues.Address]);
                break;
            case RecordKind.Itab:
                // Go 1.5/1.6 itabs name the type's ptrto: dumped first when set, but 0 (and unrecorded) when the runtime never made it.
                if (_version == HeaderVersion.Go17 && !_capped && !_types.Contains(v[ItabValues.TypeAddress]))
                {
                    Add(ValidationRules.ItabType, v.ValueOffset(ItabValues.TypeAddress), v.Index, kind,
                        $"type {Hex(v[ItabValues.TypeAddress])} has no earlier type record");
                }

                break;
            case RecordKind.OtherRoot:
                Add(ValidationRules.OtherRoot, v.Offset, v.Index, kind, "an other-root record; no Go release since 1.5 writes them");
                break;
            case RecordKind.OsThread:
                CheckOsThreadUnique(v);
                Remember(_osThreads, v[OsThreadValues.Address]);
                break;
            case RecordKind.MemStats:
                if (++_memStatsCount > 1)
                {
                    Add(ValidationRules.MemStatsOnce, v.Offset, v.Index, kind, string.Create(CultureInfo.InvariantCulture, $"memstats record number {_memStatsCount}"));
                }
                else
                {
                    CheckMemStats(v);
                }

                break;
            case RecordKind.Data:
            case RecordKind.Bss:
                CheckSegment(v);
                if (!FieldsLookFine(v.FieldSummary, (ulong)v.ContentsLength))
                {
                    CheckFields(v, (ulong)v.ContentsLength);
                }

                break;
            case RecordKind.Finalizer:
                CheckFinalizerUnique(v);
                goto case RecordKind.QueuedFinalizer;
            case RecordKind.QueuedFinalizer:
                Remember(_objectReferences, new Reference(v[FinalizerValues.Object], v.ValueOffset(FinalizerValues.Object), v.Index, kind, ValidationRules.FinalizerObject));
                break;
            case RecordKind.MemProf:
                Remember(_buckets, v[MemProfValues.Address]);
                break;
            case RecordKind.AllocSample:
                if (!_capped && !_buckets.Contains(v[AllocSampleValues.Bucket]))
                {
                    Add(ValidationRules.AllocSampleBucket, v.ValueOffset(AllocSampleValues.Bucket), v.Index, kind,
                        $"bucket {Hex(v[AllocSampleValues.Bucket])} has no earlier memprof record");
                }

                Remember(_objectReferences, new Reference(v[AllocSampleValues.Object], v.ValueOffset(AllocSampleValues.Object), v.Index, kind, ValidationRules.AllocSampleObject));
                break;
            case RecordKind.Eof:
                _eofOffset = v.Offset;
                _eofIndex = v.Index;
                if (_memStatsCount == 0)
                {
                    Add(ValidationRules.MemStatsOnce, v.Offset, v.Index, kind, "the dump has no memstats record");
                }

                break;
        }
    }

    private void CheckParams(HeapDumpRecordView v)
    {
        if (_paramsSeen)
        {
            Add(ValidationRules.ParamsOnce, v.Offset, v.Index, RecordKind.Params, "a second params record");
            return;
        }

        _paramsSeen = true;
        var ptrSize = v[ParamsValues.PtrSize];
        if (ptrSize is 4 or 8)
        {
            _ptrSize = ptrSize;
        }
        else
        {
            Add(ValidationRules.PtrSize, v.ValueOffset(ParamsValues.PtrSize), v.Index, RecordKind.Params, $"pointer size {N(ptrSize)}, expected 4 or 8");
        }

        // 386, amd64 (and amd64p32), wasm keep the return address on the stack. Go: runtime/traceback.go usesLR.
        _noLinkRegister = _version == HeaderVersion.Go17
            ? v.Text.SequenceEqual("amd64"u8) || v.Text.SequenceEqual("386"u8) || v.Text.SequenceEqual("amd64p32"u8) || v.Text.SequenceEqual("wasm"u8)
            : v[ParamsValues.TheChar] is '6' or '8';
        _heapStart = v[ParamsValues.HeapStart];
        _heapEnd = v[ParamsValues.HeapEnd];
        CheckProducer(v);
        if (_heapStart <= _heapEnd)
        {
            _heapKnown = true;
        }
        else
        {
            Add(ValidationRules.HeapRange, v.ValueOffset(ParamsValues.HeapEnd), v.Index, RecordKind.Params,
                $"heap end {Hex(_heapEnd)} is below heap start {Hex(_heapStart)}");
        }
    }

    private void CheckObject(HeapDumpRecordView v)
    {
        var address = v[ObjectValues.Address];
        var size = (ulong)v.ContentsLength;
        if (_heapKnown && (address < _heapStart || address > _heapEnd || size > _heapEnd - address))
        {
            Add(ValidationRules.ObjectInHeap, v.ValueOffset(ObjectValues.Address), v.Index, RecordKind.Object,
                $"object {Hex(address)} of {N(size)} bytes is outside the heap [{Hex(_heapStart)}, {Hex(_heapEnd)})");
        }

        CheckObjectSlot(v, address, size);
        _objects.Add(address, size);
        if (!FieldsLookFine(v.FieldSummary, size))
        {
            CheckFields(v, size);
        }
    }

    /// <summary>The summary shows no field rule broken, so the list need not be walked.</summary>
    private bool FieldsLookFine(FieldListSummary summary, ulong size)
    {
        if (summary.Count == 0)
        {
            return true;
        }

        var width = _ptrSize == 0 ? 1UL : _ptrSize;
        return summary.AllPtr
            && summary.StrictlyIncreasing
            && (_ptrSize == 0 || (summary.OffsetsOr & (_ptrSize - 1)) == 0)
            && summary.LastOffset <= size && size - summary.LastOffset >= width;
    }

    /// <summary>Objects, data and bss: fields are aligned, inside the contents, strictly increasing. One diagnostic per rule per record.</summary>
    private void CheckFields(HeapDumpRecordView v, ulong size)
    {
        var ptrSize = _ptrSize;
        var width = ptrSize == 0 ? 1UL : ptrSize;
        var first = true;
        var previous = 0UL;
        bool legacy = false, misaligned = false, outside = false, unordered = false;
        foreach (var f in v.Fields)
        {
            if (f.Kind != FieldKind.Ptr && !legacy)
            {
                legacy = true;
                Add(ValidationRules.LegacyFieldKind, f.KindPosition, v.Index, v.Kind, $"field kind {f.Kind.Name()} at offset {N(f.Offset)}");
            }

            if (ptrSize != 0 && (f.Offset & (ptrSize - 1)) != 0 && !misaligned)
            {
                misaligned = true;
                Add(ValidationRules.FieldAligned, f.Position, v.Index, v.Kind, $"field offset {N(f.Offset)} is not a multiple of the pointer size {N(ptrSize)}");
            }

            if ((f.Offset > size || size - f.Offset < width) && !outside)
            {
                outside = true;
                Add(ValidationRules.FieldInContents, f.Position, v.Index, v.Kind,
                    $"a {N(width)}-byte field at offset {N(f.Offset)} does not fit in {N(size)} bytes of contents");
            }

            if (!first && f.Offset <= previous && !unordered)
            {
                unordered = true;
                Add(ValidationRules.FieldOrder, f.Position, v.Index, v.Kind, $"field offset {N(f.Offset)} follows {N(previous)}");
            }

            first = false;
            previous = f.Offset;
        }
    }

    private void CheckGoroutine(HeapDumpRecordView v)
    {
        var status = v[GoroutineValues.Status];
        if (status is not (1 or 3 or 4))
        {
            Add(ValidationRules.GoroutineStatus, v.ValueOffset(GoroutineValues.Status), v.Index, RecordKind.Goroutine,
                $"status {N(status)}; dumpable statuses are 1 (runnable), 3 (syscall) and 4 (waiting)");
        }

        if (v[GoroutineValues.IsBackground] != 0)
        {
            Add(ValidationRules.GoroutineBackground, v.ValueOffset(GoroutineValues.IsBackground), v.Index, RecordKind.Goroutine, "is_background is true");
        }

        var address = v[GoroutineValues.Address];
        if (!_capped && _goroutines.Contains(address))
        {
            Add(ValidationRules.GoroutineUnique, v.ValueOffset(GoroutineValues.Address), v.Index, RecordKind.Goroutine, $"goroutine {Hex(address)} was dumped before");
        }
        else
        {
            Remember(_goroutines, address);
        }

        CheckGoid(v);
        var m = v[GoroutineValues.M];
        if (m != 0)
        {
            Remember(_goroutineMs, new Reference(m, v.ValueOffset(GoroutineValues.M), v.Index, RecordKind.Goroutine, ValidationRules.GoroutineM));
        }

        _inGroup = true;
        _phase = GroupPhase.Frames;
        _gAddress = address;
        _gSp = v[GoroutineValues.Sp];
        _gSpOffset = v.ValueOffset(GoroutineValues.Sp);
        _gIndex = v.Index;
        _frameCount = 0;
        _previousFrameSp = 0;
        _expectedDefer = v[GoroutineValues.TopDefer];
        _deferLinkOffset = v.ValueOffset(GoroutineValues.TopDefer);
        _deferLinkIndex = v.Index;
        _deferLinkKind = RecordKind.Goroutine;
        _expectedPanic = v[GoroutineValues.TopPanic];
        _panicLinkOffset = v.ValueOffset(GoroutineValues.TopPanic);
        _panicLinkIndex = v.Index;
        _panicLinkKind = RecordKind.Goroutine;
    }

    private void CheckFrame(HeapDumpRecordView v)
    {
        CheckFrameFields(v);
        CheckFrameShape(v);
        if (!_inGroup || _phase != GroupPhase.Frames)
        {
            Add(ValidationRules.FrameFollowsGoroutine, v.Offset, v.Index, RecordKind.StackFrame,
                _inGroup ? "a stack frame after its goroutine's defer or panic records" : "a stack frame that follows no goroutine record");
            return;
        }

        var sp = v[StackFrameValues.Sp];
        var depth = v[StackFrameValues.Depth];
        if (depth != (ulong)_frameCount)
        {
            Add(ValidationRules.FrameDepth, v.ValueOffset(StackFrameValues.Depth), v.Index, RecordKind.StackFrame,
                string.Create(CultureInfo.InvariantCulture, $"depth {depth}, expected {_frameCount} (frame {_frameCount} of goroutine {Hex(_gAddress)})"));
        }

        var childSp = v[StackFrameValues.ChildSp];
        if (_frameCount == 0)
        {
            if (childSp != 0)
            {
                Add(ValidationRules.FrameChildSp, v.ValueOffset(StackFrameValues.ChildSp), v.Index, RecordKind.StackFrame,
                    $"child sp {Hex(childSp)} in the innermost frame, expected 0");
            }

            // Go: traceback.go: frame 0 starts at the goroutine's sp, or one word above it when the traceback pc
            // is 0 on a target without a link register (the dump does not carry that pc).
            if (sp != _gSp && !(_noLinkRegister && _ptrSize != 0 && sp == _gSp + _ptrSize))
            {
                Add(ValidationRules.GoroutineSp, _gSpOffset, _gIndex, RecordKind.Goroutine,
                    $"goroutine sp {Hex(_gSp)} differs from its depth-0 frame's sp {Hex(sp)} (record #{v.Index.ToString(CultureInfo.InvariantCulture)})");
            }
        }
        else if (childSp != _previousFrameSp)
        {
            Add(ValidationRules.FrameChildSp, v.ValueOffset(StackFrameValues.ChildSp), v.Index, RecordKind.StackFrame,
                $"child sp {Hex(childSp)}, expected the previous frame's sp {Hex(_previousFrameSp)}");
        }

        _previousFrameSp = sp;
        _frameCount++;
    }

    private void CheckFrameFields(HeapDumpRecordView v)
    {
        if (v.FieldCount == 0)
        {
            return;
        }

        var ptrSize = _ptrSize;
        var size = (ulong)v.ContentsLength;
        var width = ptrSize == 0 ? 1UL : ptrSize;
        var checkBounds = _version == HeaderVersion.Go17;
        bool legacy = false, misaligned = false, outside = false;
        foreach (var f in v.Fields)
        {
            if (f.Kind != FieldKind.Ptr && !legacy)
            {
                legacy = true;
                Add(ValidationRules.LegacyFieldKind, f.KindPosition, v.Index, RecordKind.StackFrame, $"field kind {f.Kind.Name()} at offset {N(f.Offset)}");
            }

            if (ptrSize != 0 && (f.Offset & (ptrSize - 1)) != 0 && !misaligned)
            {
                misaligned = true;
                Add(ValidationRules.FrameFieldAligned, f.Position, v.Index, RecordKind.StackFrame,
                    $"frame field offset {N(f.Offset)} is not a multiple of the pointer size {N(ptrSize)}");
            }

            if (checkBounds && (f.Offset > size || size - f.Offset < width) && !outside)
            {
                outside = true;
                Add(ValidationRules.FrameFieldInContents, f.Position, v.Index, RecordKind.StackFrame,
                    $"a {N(width)}-byte field at offset {N(f.Offset)} does not fit in the frame's {N(size)} bytes");
            }
        }
    }

    private void CheckDefer(HeapDumpRecordView v)
    {
        if (!_inGroup)
        {
            Add(ValidationRules.DeferGoroutine, v.Offset, v.Index, RecordKind.Defer, "a defer record that follows no goroutine record");
            return;
        }

        if (_phase == GroupPhase.Frames)
        {
            _phase = GroupPhase.Defers;
        }

        var goroutine = v[DeferValues.Goroutine];
        if (goroutine != _gAddress)
        {
            Add(ValidationRules.DeferGoroutine, v.ValueOffset(DeferValues.Goroutine), v.Index, RecordKind.Defer,
                $"names goroutine {Hex(goroutine)} but follows goroutine {Hex(_gAddress)} (record #{_gIndex.ToString(CultureInfo.InvariantCulture)})");
        }

        var address = v[DeferValues.Address];
        if (address != _expectedDefer)
        {
            Add(ValidationRules.DeferChain, v.ValueOffset(DeferValues.Address), v.Index, RecordKind.Defer,
                _expectedDefer == 0
                    ? $"defer {Hex(address)} follows the end of the goroutine's defer chain"
                    : $"defer {Hex(address)}, expected {Hex(_expectedDefer)} ({(_deferLinkKind == RecordKind.Goroutine ? "the goroutine's top defer" : "the previous defer's link")})");
        }

        _expectedDefer = v[DeferValues.Link];
        _deferLinkOffset = v.ValueOffset(DeferValues.Link);
        _deferLinkIndex = v.Index;
        _deferLinkKind = RecordKind.Defer;
    }

    private void CheckPanic(HeapDumpRecordView v)
    {
        if (!_inGroup)
        {
            Add(ValidationRules.PanicGoroutine, v.Offset, v.Index, RecordKind.Panic, "a panic record that follows no goroutine record");
            return;
        }

        _phase = GroupPhase.Panics;
        var goroutine = v[PanicValues.Goroutine];
        if (goroutine != _gAddress)
        {
            Add(ValidationRules.PanicGoroutine, v.ValueOffset(PanicValues.Goroutine), v.Index, RecordKind.Panic,
                $"names goroutine {Hex(goroutine)} but follows goroutine {Hex(_gAddress)} (record #{_gIndex.ToString(CultureInfo.InvariantCulture)})");
        }

        var address = v[PanicValues.Address];
        if (address != _expectedPanic)
        {
            Add(ValidationRules.PanicChain, v.ValueOffset(PanicValues.Address), v.Index, RecordKind.Panic,
                _expectedPanic == 0
                    ? $"panic {Hex(address)} follows the end of the goroutine's panic chain"
                    : $"panic {Hex(address)}, expected {Hex(_expectedPanic)} ({(_panicLinkKind == RecordKind.Goroutine ? "the goroutine's top panic" : "the previous panic's link")})");
        }

        _expectedPanic = v[PanicValues.Link];
        _panicLinkOffset = v.ValueOffset(PanicValues.Link);
        _panicLinkIndex = v.Index;
        _panicLinkKind = RecordKind.Panic;
    }

    /// <summary>The goroutine's records have ended: its defer and panic chains must have ended too.</summary>
    private void CloseGroup()
    {
        _inGroup = false;
        CheckGoroutineHadFrames();
        if (_expectedDefer != 0)
        {
            Add(ValidationRules.DeferChain, _deferLinkOffset, _deferLinkIndex, _deferLinkKind,
                $"the defer chain of goroutine {Hex(_gAddress)} continues at {Hex(_expectedDefer)}, but no defer record for it follows");
        }

        if (_expectedPanic != 0)
        {
            Add(ValidationRules.PanicChain, _panicLinkOffset, _panicLinkIndex, _panicLinkKind,
                $"the panic chain of goroutine {Hex(_gAddress)} continues at {Hex(_expectedPanic)}, but no panic record for it follows");
        }
    }

    /// <summary>Checks that need the whole file: references to objects and Ms, overlapping objects.</summary>
    private void Finish(Func<Stream>? reopen)
    {
        Report.ObjectCount = _objects.ObjectCount;
        Report.ObjectRunCount = _objects.RunCount;
        FinishGuarantees();
        if (_capped)
        {
            return; // the tables were dropped: the note says which rules went unchecked
        }

        foreach (var r in _goroutineMs)
        {
            if (!_osThreads.Contains(r.Address))
            {
                Add(r.Rule, r.Offset, r.Index, r.Kind, $"m {Hex(r.Address)} has no OS thread record");
            }
        }

        // One ordered scan of the objects answers both: which references point outside every object, and
        // which objects overlap (those are located by a second pass below).
        _objectReferences.Sort((a, b) => a.Address.CompareTo(b.Address));
        var addresses = new ulong[_objectReferences.Count];
        for (var i = 0; i < addresses.Length; i++)
        {
            addresses[i] = _objectReferences[i].Address;
        }

        var outside = new List<int>();
        var overlaps = new Dictionary<(ulong Address, int Occurrence), (ulong RunStart, ulong RunEnd)>();
        _objects.Scan(addresses, outside.Add, (address, occurrence, runStart, runEnd) =>
        {
            if (overlaps.Count < _cap)
            {
                overlaps[(address, occurrence)] = (runStart, runEnd);
            }
            else
            {
                Report.CountOnly(ValidationRules.ObjectOverlap);
            }
        });

        foreach (var i in outside)
        {
            var r = _objectReferences[i];
            Add(r.Rule, r.Offset, r.Index, r.Kind, $"{Hex(r.Address)} is not inside any dumped object");
        }

        if (overlaps.Count > 0)
        {
            LocateOverlaps(overlaps, reopen);
        }
    }

    /// <summary>
    /// The object table keeps address runs, not records, so a second, structure-only pass finds the records
    /// of the few overlapping objects (and of the objects they overlap), replaying how runs were formed.
    /// </summary>
    private void LocateOverlaps(Dictionary<(ulong Address, int Occurrence), (ulong RunStart, ulong RunEnd)> overlaps, Func<Stream>? reopen)
    {
        var offenders = new Dictionary<(ulong, int), (long Offset, long Index, ulong Size)>();
        var others = new Dictionary<(ulong, int), (ulong Address, ulong Size, long Index)>();
        if (reopen is not null)
        {
            var runStarts = new Dictionary<ulong, int>();
            foreach (var key in overlaps.Keys)
            {
                runStarts[key.Address] = 0;
            }

            using var stream = reopen();
            using var reader = HeapDumpReader.Open(stream, leaveOpen: false, _options.BufferSize);
            reader.ContentsLimit = _options.ContentsLimit;
            var first = true;
            var previousEnd = 0UL;
            while (reader.MoveNext())
            {
                var v = reader.Current;
                if (v.Kind != RecordKind.Object)
                {
                    continue;
                }

                var address = v[ObjectValues.Address];
                var size = (ulong)v.ContentsLength;
                var end = address + size < address ? ulong.MaxValue : address + size;
                var isOffender = false;
                if (ObjectTable.StartsRun(first, previousEnd, address) && runStarts.TryGetValue(address, out var seen))
                {
                    runStarts[address] = ++seen;
                    if (overlaps.ContainsKey((address, seen)))
                    {
                        offenders[(address, seen)] = (v.ValueOffset(ObjectValues.Address), v.Index, size);
                        isOffender = true;
                    }
                }

                if (!isOffender)
                {
                    // Is this the object an offender starts inside? The first such in file order is named.
                    foreach (var ((x, occurrence), (runStart, runEnd)) in overlaps)
                    {
                        if (address >= runStart && address < runEnd && address <= x && (x < end || x == address)
                            && !others.ContainsKey((x, occurrence)))
                        {
                            others[(x, occurrence)] = (address, size, v.Index);
                        }
                    }
                }

                first = false;
                previousEnd = end;
            }
        }

        foreach (var (key, _) in overlaps)
        {
            var (offset, index, size) = offenders.TryGetValue(key, out var where) ? where : (-1L, -1L, 0UL);
            var message = others.TryGetValue(key, out var other)
                ? other.Address == key.Address
                    ? $"object {Hex(key.Address)} is dumped again (first as record #{other.Index.ToString(CultureInfo.InvariantCulture)})"
                    : $"object {Hex(key.Address)} ({N(size)} bytes) starts inside object {Hex(other.Address)} ({N(other.Size)} bytes, record #{other.Index.ToString(CultureInfo.InvariantCulture)})"
                : $"object {Hex(key.Address)} overlaps another object";
            Report.Add(ValidationRules.ObjectOverlap, offset, index, RecordKind.Object, message, int.MaxValue);
        }
    }
}
