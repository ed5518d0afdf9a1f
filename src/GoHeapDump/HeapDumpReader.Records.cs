using System.Runtime.CompilerServices;

namespace GoHeapDump;

// The current record, exposed in place (HeapDumpRecordView) and as a model record (CreateRecord).
public sealed partial class HeapDumpReader
{
    // The validator reads these for every record: AggressiveInlining, because Native AOT left several of them as calls
    // (perf on the shipped executable: about 8 % of `goheapdump validate` in the getters below and EnsureCurrent).
    internal RecordKind CurrentKind
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            EnsureCurrent();
            return _recordKind;
        }
    }

    internal long CurrentIndex => _recordIndex;

    internal long CurrentOffset => Absolute(_recordStart);

    internal int CurrentLength => _recordEnd - _recordStart;

    internal ReadOnlySpan<byte> CurrentBytes => HasContents(_recordKind) && _contentsSkippedInBuffer
        ? BytesWithoutContents()
        : _buffer.AsSpan(_recordStart, _recordEnd - _recordStart);

    /// <summary>
    /// A record whose skipped contents happened to be buffered whole: its bytes without them, as when they were
    /// skipped in the input (the gap), so that the view does not depend on where chunks fell. Rare: a copy.
    /// </summary>
    private byte[] BytesWithoutContents()
    {
        var bodyEnd = _contentsStart + (int)_contentsFullLength;
        var prefix = _buffer.AsSpan(_recordStart, _contentsStart - _recordStart);
        var suffix = _buffer.AsSpan(bodyEnd, _recordEnd - bodyEnd);
        return [.. prefix, .. suffix];
    }

    internal ReadOnlySpan<ulong> CurrentValues => _values.AsSpan(0, _valueCount);

    internal long CurrentValueOffset(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)_valueCount, nameof(index));
        return Absolute(_valueAt[index]);
    }

    internal ReadOnlySpan<byte> CurrentContents => HasContents(_recordKind)
        ? _buffer.AsSpan(_contentsStart, _contentsLength)
        : default;

    internal long CurrentContentsLengthOffset => HasContents(_recordKind) ? Absolute(_contentsLengthAt) : -1;

    internal long CurrentContentsLength
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => HasContents(_recordKind) ? (long)_contentsFullLength : 0;
    }

    internal bool CurrentContentsSkipped => HasContents(_recordKind) && _contentsSkipped;

    internal long CurrentLengthInFile
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Absolute(_recordEnd) - Absolute(_recordStart);
    }

    internal ReadOnlySpan<byte> CurrentText => HasText(_recordKind)
        ? _buffer.AsSpan(_textStart, _textLength)
        : default;

    internal ReadOnlySpan<byte> CurrentText2 => _recordKind == RecordKind.Params
        ? _buffer.AsSpan(_text2Start, _text2Length)
        : default;

    internal int CurrentFieldCount => HasFields(_recordKind) ? _fieldSummary.Count : 0;

    internal FieldListSummary CurrentFieldSummary
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => HasFields(_recordKind) ? _fieldSummary : default;
    }

    internal FieldListEnumerator CurrentFields => HasFields(_recordKind)
        ? new FieldListEnumerator(_buffer.AsSpan(0, _recordEnd), _fieldsStart, _fieldSummary.Count, Absolute(_fieldsStart) - _fieldsStart)
        : default;

    internal MemProfFrameEnumerator CurrentMemProfFrames => _recordKind == RecordKind.MemProf
        ? new MemProfFrameEnumerator(_buffer.AsSpan(0, _recordEnd), _framesStart, _values[MemProfValues.FrameCount])
        : default;

    internal int CurrentNonMinimal => _recordNonMinimal;

    internal long CurrentFirstNonMinimalOffset => _recordFirstNonMinimal < 0 ? -1 : Absolute(_recordFirstNonMinimal);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool HasContents(RecordKind kind) =>
        kind is RecordKind.Object or RecordKind.StackFrame or RecordKind.Data or RecordKind.Bss;

    private static bool HasFields(RecordKind kind) => HasContents(kind);

    private bool HasText(RecordKind kind) =>
        kind is RecordKind.OtherRoot or RecordKind.Type or RecordKind.Goroutine or RecordKind.StackFrame
        || (kind == RecordKind.Params && HeapDumpFormat.ArchIsString(Version));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void EnsureCurrent()
    {
        if (_recordIndex < 0 || _failure is not null || _disposed)
        {
            ThrowNoCurrent();
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowNoCurrent() =>
        throw new InvalidOperationException("no current record: call MoveNext first, and not after it failed");

    /// <summary>The current record as a model record.</summary>
    internal HeapDumpRecord CreateRecord()
    {
        EnsureCurrent();
        var v = _values;
        return _recordKind switch
        {
            RecordKind.Eof => EofRecord.Instance,
            RecordKind.Object => new ObjectRecord(v[ObjectValues.Address], CopyContents(), CopyFields()),
            RecordKind.OtherRoot => new OtherRootRecord(GoString.Copy(CurrentText), v[OtherRootValues.Pointer]),
            RecordKind.Type => new TypeRecord(v[TypeValues.Address], v[TypeValues.Size], GoString.Copy(CurrentText), v[TypeValues.IfaceDataIsPointer] != 0),
            RecordKind.Goroutine => new GoroutineRecord(
                v[GoroutineValues.Address], v[GoroutineValues.Sp], v[GoroutineValues.Goid], v[GoroutineValues.Gopc],
                v[GoroutineValues.Status], v[GoroutineValues.IsSystem] != 0, v[GoroutineValues.IsBackground] != 0,
                v[GoroutineValues.WaitSince], GoString.Copy(CurrentText), v[GoroutineValues.Ctxt], v[GoroutineValues.M],
                v[GoroutineValues.TopDefer], v[GoroutineValues.TopPanic]),
            RecordKind.StackFrame => new StackFrameRecord(
                v[StackFrameValues.Sp], v[StackFrameValues.Depth], v[StackFrameValues.ChildSp], CopyContents(),
                v[StackFrameValues.EntryPc], v[StackFrameValues.Pc], v[StackFrameValues.ContinuationPc],
                GoString.Copy(CurrentText), CopyFields()),
            RecordKind.Params => HeapDumpFormat.ArchIsString(Version)
                ? ParamsRecord.WithArch(v[ParamsValues.BigEndian] != 0, v[ParamsValues.PtrSize], v[ParamsValues.HeapStart],
                    v[ParamsValues.HeapEnd], GoString.Copy(CurrentText), GoString.Copy(CurrentText2), v[ParamsValues.Ncpu])
                : ParamsRecord.WithTheChar(v[ParamsValues.BigEndian] != 0, v[ParamsValues.PtrSize], v[ParamsValues.HeapStart],
                    v[ParamsValues.HeapEnd], v[ParamsValues.TheChar], GoString.Copy(CurrentText2), v[ParamsValues.Ncpu]),
            RecordKind.Finalizer => new FinalizerRecord(v[FinalizerValues.Object], v[FinalizerValues.Funcval],
                v[FinalizerValues.EntryPc], v[FinalizerValues.ArgType], v[FinalizerValues.ObjectType]),
            RecordKind.QueuedFinalizer => new QueuedFinalizerRecord(v[FinalizerValues.Object], v[FinalizerValues.Funcval],
                v[FinalizerValues.EntryPc], v[FinalizerValues.ArgType], v[FinalizerValues.ObjectType]),
            RecordKind.Itab => new ItabRecord(v[ItabValues.Address], v[ItabValues.TypeAddress]),
            RecordKind.OsThread => new OsThreadRecord(v[OsThreadValues.Address], v[OsThreadValues.Id], v[OsThreadValues.ProcId]),
            RecordKind.MemStats => new MemStatsRecord(
                v.AsSpan(0, MemStatsRecord.ScalarCount).ToArray(),
                v.AsSpan(MemStatsValues.PauseNs, HeapDumpFormat.PauseNsCount).ToArray(),
                v[MemStatsValues.NumGC]),
            RecordKind.Data => new DataRecord(v[SegmentValues.Address], CopyContents(), CopyFields()),
            RecordKind.Bss => new BssRecord(v[SegmentValues.Address], CopyContents(), CopyFields()),
            RecordKind.Defer => new DeferRecord(v[DeferValues.Address], v[DeferValues.Goroutine], v[DeferValues.Sp],
                v[DeferValues.Pc], v[DeferValues.Funcval], v[DeferValues.EntryPc], v[DeferValues.Link]),
            RecordKind.Panic => new PanicRecord(v[PanicValues.Address], v[PanicValues.Goroutine], v[PanicValues.ArgType],
                v[PanicValues.ArgData], v[PanicValues.Defer], v[PanicValues.Link]),
            RecordKind.MemProf => new MemProfRecord(v[MemProfValues.Address], v[MemProfValues.Size], CopyFrames(),
                v[MemProfValues.Allocs], v[MemProfValues.Frees]),
            RecordKind.AllocSample => new AllocSampleRecord(v[AllocSampleValues.Object], v[AllocSampleValues.Bucket]),
            _ => throw new InvalidOperationException($"unhandled record kind {_recordKind}"),
        };
    }

    private GoString CopyContents() => _contentsSkipped
        ? throw new NotSupportedException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"record #{_recordIndex} at offset {CurrentOffset}: its {_contentsFullLength} bytes of contents were skipped (ContentsLimit), so it has no model record"))
        : GoString.Copy(_buffer.AsSpan(_contentsStart, _contentsLength));

    private EquatableArray<Field> CopyFields()
    {
        if (_fieldSummary.Count == 0)
        {
            return default;
        }

        var fields = new Field[_fieldSummary.Count];
        var i = 0;
        foreach (var field in CurrentFields)
        {
            fields[i++] = field.ToField();
        }

        return fields;
    }

    private EquatableArray<MemProfFrame> CopyFrames()
    {
        // The count was checked by decoding every frame, so it is bounded by the record's bytes.
        var count = (int)_values[MemProfValues.FrameCount];
        if (count == 0)
        {
            return default;
        }

        var frames = new MemProfFrame[count];
        var i = 0;
        foreach (var frame in CurrentMemProfFrames)
        {
            frames[i++] = new MemProfFrame(GoString.Copy(frame.FuncName), GoString.Copy(frame.File), frame.Line);
        }

        return frames;
    }
}
