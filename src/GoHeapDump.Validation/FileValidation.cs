using System.Globalization;
using System.Runtime.CompilerServices;

namespace GoHeapDump.Validation;

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
    private bool _bigEndian;
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
    private readonly ObjectLane _lane;
    private long _reserved;
    private bool _capped;
    private readonly HashSet<ulong> _types = [];
    private readonly HashSet<ulong> _buckets = [];
    private readonly HashSet<ulong> _osThreads = [];
    private readonly HashSet<ulong> _goroutines = [];
    private readonly List<Reference> _goroutineMs = [];
    private readonly List<Reference> _objectReferences = [];

    /// <param name="name">The file's name for the report.</param>
    /// <param name="options">Profile, caps.</param>
    /// <param name="owner">For the split's later half: the validation of the file's start, whose budget it shares.</param>
    public FileValidation(string name, ValidationOptions options, FileValidation? owner = null)
    {
        _owner = owner;
        _options = options;
        _cap = Math.Max(0, options.MaxDiagnosticsPerRule);
        Report = new ValidationReport(name, options.Profile);
        // With a cap, the object table reserves on the lane's thread while this one decodes later objects: the sets
        // Reserve drops are not touched then, because every record but an object outside a goroutine's group drains
        // the lane first (Check).
        _lane = new ObjectLane(Report, _cap, options.ObjectBatch, options.ObjectThread, options.MaxMemory < 0 ? null : Reserve, appended: owner is not null);
    }

    /// <summary>The reader, whose current record the note names when the memory cap is reached.</summary>
    private HeapDumpReader? _reader;

    /// <summary>Reserves table memory under the cap for the reader's current record.</summary>
    private bool Reserve(long bytes) => Reserve(bytes, _reader is null ? -1 : _reader.Current.Index, _reader is null ? -1 : _reader.Current.Offset);

    /// <summary>Reserves table memory under the cap; false (once: the tables are dropped) when it would pass it at that record.</summary>
    private bool Reserve(long bytes, long index, long offset)
    {
        // Under a cap: the sum of both halves' tables, while the split runs (the later half's ask ReserveForLaterHalf).
        if (_capped)
        {
            return false;
        }

        if (_owner is not null)
        {
            return ReserveForLaterHalf(bytes);
        }

        if (_options.MaxMemory < 0 || _reserved + bytes <= _options.MaxMemory)
        {
            if (_later is not null && _reserved + bytes + Volatile.Read(ref _laterReserved) > _options.MaxMemory)
            {
                DropLater("the memory cap"); // one pass would have this memory: the split's spare work gives way
            }

            Volatile.Write(ref _reserved, _reserved + bytes);
            return true;
        }

        _capped = true;
        _lane.Table.Release();
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
            $"memory cap of {_options.MaxMemory:N0} bytes for the cross-record tables reached at record #{index} (offset {offset}): V07, R11, R12 and R13 were not checked; R09, R10, R14, R15, R16 and R17 only before that record"),
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

    /// <param name="stream">The input, at the header.</param>
    /// <param name="reopen">Opens the input again from the start (Finish's second pass); null when it cannot.</param>
    /// <param name="openAgain">Opens the file again for the split's later half (a seekable stream of the same file, at any
    /// position); null when the input is not a file.</param>
    public void Run(Stream stream, Func<Stream>? reopen, Func<Stream>? openAgain = null)
    {
        HeapDumpReader reader;
        _openAgain = openAgain;
        try
        {
            // Split, the later half's thread is the second core's work: no reading ahead on a third. A pipe cannot be
            // split (it cannot be opened again): read ahead when the caller owns it (ValidationOptions.ReadAheadUnseekable).
            var split = SplitWanted(stream.CanSeek ? stream.Length - stream.Position : -1);
            bool? readAhead = split ? false : !stream.CanSeek && _options.ReadAheadUnseekable && Environment.ProcessorCount > 1 ? true : null;
            reader = HeapDumpReader.Open(stream, leaveOpen: true, _options.BufferSize, readAhead);
            _splitAt = split ? 0 : long.MaxValue;
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

        try
        {
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
                        var position = reader.Position; // once a record: not a free field read (the skipped contents' gap)
                        if (position >= _splitAt)
                        {
                            Split(reader);
                            position = reader.Position; // a joined split skips the reader ahead
                        }

                        if (position >= nextProgress)
                        {
                            _options.Progress?.Invoke(position);
                            nextProgress = position + ProgressStep;
                        }
                    }
                }
                catch (HeapDumpFormatException e)
                {
                    CompleteObjects();
                    AddStructureError(e);
                    Report.BytesRead = reader.Position;
                    Report.RecordCount = reader.RecordIndex;
                    _options.Progress?.Invoke(reader.Position);
                    Report.SortDiagnostics();
                    return;
                }

                CompleteObjects();
                Report.BytesRead = reader.Position;
                Report.RecordCount = reader.RecordIndex;
            }
        }
        finally
        {
            _lane.Stop(); // an I/O error leaves it running otherwise
            _later?.Stop();
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

    /// <summary>Every object checked and the lane's diagnostics in the report: before the end's rules, or a structure error's report.</summary>
    private void CompleteObjects()
    {
        _lane.Complete();
        _lane.MergeInto(Report);
    }

    private void Add(FormatRule rule, long offset, long index, RecordKind kind, string message) =>
        Report.Add(rule, offset, index, kind, message, _cap);

    internal static string Hex(ulong value) => string.Create(CultureInfo.InvariantCulture, $"0x{value:x}");

    internal static string N(ulong value) => value.ToString(CultureInfo.InvariantCulture);

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

    /// <summary>One record: tallied, checked for what any record may break, then by kind.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] // into the reading loops: the objects' path is a few instructions
    private void Check(HeapDumpRecordView v)
    {
        if (v.Kind == RecordKind.Object && _maxRank == 2 && v.NonMinimalUvarints == 0 && !_inGroup)
        {
            // The bulk of every dump: an object in the objects section. Same checks as CheckRecord, fewer branches.
            Tally(v);
            CheckObject(v);
            return;
        }

        CheckRecord(v);
    }

    private void CheckRecord(HeapDumpRecordView v)
    {
        if (v.Kind != RecordKind.Object || _inGroup)
        {
            // What follows may read or change what the lane's objects change (the memory cap, the params): wait
            // for it. In a dump in the runtime's order that is once, at the end of the objects.
            _lane.Drain();
        }

        Tally(v);
        CheckEncoding(v);
        CheckPlaceInFile(v);
        if (_inGroup && v.Kind is not (RecordKind.StackFrame or RecordKind.Defer or RecordKind.Panic))
        {
            CloseGroup();
        }

        CheckByKind(v);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)] // on the objects' fast path
    private void Tally(HeapDumpRecordView v)
    {
        ref var tally = ref Report.Kinds[(int)v.Kind];
        tally = new KindTally(tally.Count + 1, tally.Bytes + v.Length);
    }

    /// <summary>S10, once per record, at its first long uvarint.</summary>
    private void CheckEncoding(HeapDumpRecordView v)
    {
        if (v.NonMinimalUvarints != 0)
        {
            Add(StructureRules.NonMinimalUvarint, v.FirstNonMinimalUvarintOffset, v.Index, v.Kind,
                v.NonMinimalUvarints == 1 ? "a uvarint is longer than its value needs"
                    : string.Create(CultureInfo.InvariantCulture, $"{v.NonMinimalUvarints} uvarints in this record are longer than their values need; the first is here"));
        }
    }

    /// <summary>S11 (params first) and S14 (the runtime's section order).</summary>
    private void CheckPlaceInFile(HeapDumpRecordView v)
    {
        var kind = v.Kind;
        if (v.Index == 0 && kind != RecordKind.Params)
        {
            Add(ValidationRules.ParamsFirst, v.Offset, v.Index, kind, $"the first record is {kind.Name()}, not params");
        }

        var rank = Rank(kind);
        if (rank < 0)
        {
            return;
        }

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

    private void CheckByKind(HeapDumpRecordView v)
    {
        var kind = v.Kind;
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
                CheckOsThread(v);
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
        _bigEndian = v[ParamsValues.BigEndian] != 0;
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

        // Objects before the params (S11) were checked without them, as a single pass would have.
        _lane.Configure(new ObjectRules(_heapKnown, _heapStart, _heapEnd, _ptrSize, IsGoRuntime, _sizeClasses, _goVersion));
    }
}
