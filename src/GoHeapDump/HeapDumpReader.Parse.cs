using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace GoHeapDump;

// Record decoding: one pass over a record held entirely in the buffer. Each record kind's layout is
// written out once here, in wire order (Go: runtime/heapdump.go, the dump* function named per case).
public sealed partial class HeapDumpReader
{
    private readonly ulong[] _values = new ulong[MemStatsValues.Count];
    private readonly int[] _valueAt = new int[MemStatsValues.Count];
    private RecordKind _recordKind;
    private bool _kindKnown;
    private int _valueCount;
    private int _recordStart;
    private int _recordEnd;
    private long _recordIndex = -1;
    private int _recordNonMinimal;
    private int _recordFirstNonMinimal;
    private int _contentsStart;
    private int _contentsLength;
    private int _contentsLengthAt;
    private ulong _contentsFullLength;
    private bool _contentsSkipped;
    private bool _contentsSkippedInBuffer;
    private int _textStart;
    private int _textLength;
    private int _text2Start;
    private int _text2Length;
    private int _fieldsStart;
    private FieldListSummary _fieldSummary;
    private int _framesStart;

    /// <summary>Decodes the record at <c>cursor.Pos</c>; false when the buffer ends first (the cursor says why).</summary>
    private bool TryParseRecord(ref Cursor c)
    {
        _kindKnown = false;
        if (!c.Uvarint(out var tag))
        {
            return false;
        }

        if (tag > HeapDumpFormat.MaxRecordTag)
        {
            throw RecordError(StructureRules.UnknownTag, c.Pos - 1,
                string.Create(CultureInfo.InvariantCulture, $"expected a record tag 0..{HeapDumpFormat.MaxRecordTag}, got {tag}"));
        }

        var kind = (RecordKind)tag;
        _recordKind = kind;
        _kindKnown = true;
        var v = _values;
        var at = _valueAt;
        if (kind == RecordKind.Object)
        {
            // Go: dumpobj. Objects are nearly all of a dump's records and bytes: decoded before the switch.
            _valueCount = ObjectValues.Count;
            return Value(ref c, v, at, ObjectValues.Address)
                && Contents(ref c)
                && FieldList(ref c);
        }

        switch (kind)
        {
            case RecordKind.Eof:
                _valueCount = 0;
                return true;

            case RecordKind.OtherRoot: // Go: dumpotherroot
                _valueCount = OtherRootValues.Count;
                return Text(ref c, out _textStart, out _textLength)
                    && Value(ref c, v, at, OtherRootValues.Pointer);

            case RecordKind.Type: // Go: dumptype
                _valueCount = TypeValues.Count;
                return Value(ref c, v, at, TypeValues.Address)
                    && Value(ref c, v, at, TypeValues.Size)
                    && Text(ref c, out _textStart, out _textLength)
                    && Bool(ref c, v, at, TypeValues.IfaceDataIsPointer);

            case RecordKind.Goroutine: // Go: dumpgoroutine
                return ParseGoroutine(ref c, v, at);

            case RecordKind.StackFrame: // Go: dumpframe
                return ParseStackFrame(ref c, v, at);

            case RecordKind.Params: // Go: dumpparams
                return ParseParams(ref c, v, at);

            case RecordKind.Finalizer: // Go: dumpfinalizer
            case RecordKind.QueuedFinalizer: // Go: finq_callback
                return Values(ref c, v, at, FinalizerValues.Count);

            case RecordKind.Itab: // Go: itab_callback
                return Values(ref c, v, at, ItabValues.Count);

            case RecordKind.OsThread: // Go: dumpms
                return Values(ref c, v, at, OsThreadValues.Count);

            case RecordKind.MemStats: // Go: dumpmemstats
                return Values(ref c, v, at, MemStatsValues.Count);

            case RecordKind.Data: // Go: dumproots
            case RecordKind.Bss:
                _valueCount = SegmentValues.Count;
                return Value(ref c, v, at, SegmentValues.Address)
                    && Contents(ref c)
                    && FieldList(ref c);

            case RecordKind.Defer: // Go: dumpgoroutine, defer loop
                return Values(ref c, v, at, DeferValues.Count);

            case RecordKind.Panic: // Go: dumpgoroutine, panic loop
                return Values(ref c, v, at, PanicValues.Count);

            case RecordKind.MemProf: // Go: dumpmemprof_callback
                return ParseMemProf(ref c, v, at);

            case RecordKind.AllocSample: // Go: dumpmemprof, specials loop
                return Values(ref c, v, at, AllocSampleValues.Count);

            default:
                throw new InvalidOperationException($"unhandled record kind {kind}");
        }
    }

    /// <summary>The goroutine record's fields. Go: dumpgoroutine.</summary>
    private bool ParseGoroutine(ref Cursor c, ulong[] v, int[] at)
    {
        _valueCount = GoroutineValues.Count;
        return Value(ref c, v, at, GoroutineValues.Address)
            && Value(ref c, v, at, GoroutineValues.Sp)
            && Value(ref c, v, at, GoroutineValues.Goid)
            && Value(ref c, v, at, GoroutineValues.Gopc)
            && Value(ref c, v, at, GoroutineValues.Status)
            && Bool(ref c, v, at, GoroutineValues.IsSystem)
            && Bool(ref c, v, at, GoroutineValues.IsBackground)
            && Value(ref c, v, at, GoroutineValues.WaitSince)
            && Text(ref c, out _textStart, out _textLength)
            && Value(ref c, v, at, GoroutineValues.Ctxt)
            && Value(ref c, v, at, GoroutineValues.M)
            && Value(ref c, v, at, GoroutineValues.TopDefer)
            && Value(ref c, v, at, GoroutineValues.TopPanic);
    }

    /// <summary>The stack frame record's fields. Go: dumpframe.</summary>
    private bool ParseStackFrame(ref Cursor c, ulong[] v, int[] at)
    {
        _valueCount = StackFrameValues.Count;
        return Value(ref c, v, at, StackFrameValues.Sp)
            && Value(ref c, v, at, StackFrameValues.Depth)
            && Value(ref c, v, at, StackFrameValues.ChildSp)
            && Contents(ref c)
            && Value(ref c, v, at, StackFrameValues.EntryPc)
            && Value(ref c, v, at, StackFrameValues.Pc)
            && Value(ref c, v, at, StackFrameValues.ContinuationPc)
            && Text(ref c, out _textStart, out _textLength)
            && FieldList(ref c);
    }

    /// <summary>The params record: the architecture is a string in go1.7 headers, a uvarint in go1.5/go1.6. Go: dumpparams.</summary>
    private bool ParseParams(ref Cursor c, ulong[] v, int[] at)
    {
        _valueCount = ParamsValues.Count;
        v[ParamsValues.TheChar] = 0;
        at[ParamsValues.TheChar] = c.Pos;
        _textStart = _textLength = 0;
        if (!(Bool(ref c, v, at, ParamsValues.BigEndian)
            && Value(ref c, v, at, ParamsValues.PtrSize)
            && Value(ref c, v, at, ParamsValues.HeapStart)
            && Value(ref c, v, at, ParamsValues.HeapEnd)))
        {
            return false;
        }

        // go1.7 headers carry GOARCH as a string, go1.5/go1.6 a uvarint "thechar".
        var arch = HeapDumpFormat.ArchIsString(Version)
            ? Text(ref c, out _textStart, out _textLength)
            : Value(ref c, v, at, ParamsValues.TheChar);
        return arch
            && Text(ref c, out _text2Start, out _text2Length)
            && Value(ref c, v, at, ParamsValues.Ncpu);
    }

    /// <summary>The memprof record, its frames left in the buffer. Go: dumpmemprof_callback.</summary>
    private bool ParseMemProf(ref Cursor c, ulong[] v, int[] at)
    {
        _valueCount = MemProfValues.Count;
        if (!(Value(ref c, v, at, MemProfValues.Address)
            && Value(ref c, v, at, MemProfValues.Size)
            && Value(ref c, v, at, MemProfValues.FrameCount)))
        {
            return false;
        }

        // No allocation here: the frames stay in the buffer; each is at least 3 bytes, so a hostile
        // count ends the input (S07) long before it could cost anything.
        _framesStart = c.Pos;
        for (var i = v[MemProfValues.FrameCount]; i > 0; i--)
        {
            if (!(Text(ref c, out _, out _) && Text(ref c, out _, out _) && c.Uvarint(out _)))
            {
                return false;
            }
        }

        return Value(ref c, v, at, MemProfValues.Allocs)
            && Value(ref c, v, at, MemProfValues.Frees);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Value(ref Cursor c, ulong[] values, int[] at, int index)
    {
        at[index] = c.Pos;
        return c.Uvarint(out values[index]);
    }

    private bool Values(ref Cursor c, ulong[] values, int[] at, int count)
    {
        _valueCount = count;
        for (var i = 0; i < count; i++)
        {
            at[i] = c.Pos;
            if (!c.Uvarint(out values[i]))
            {
                return false;
            }
        }

        return true;
    }

    private bool Bool(ref Cursor c, ulong[] values, int[] at, int index)
    {
        at[index] = c.Pos;
        if (!c.Uvarint(out var value))
        {
            return false;
        }

        if (value > 1)
        {
            throw RecordError(StructureRules.BoolValue, c.Pos - 1,
                string.Create(CultureInfo.InvariantCulture, $"expected a bool (0 or 1), got {value}"));
        }

        values[index] = value;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Text(ref Cursor c, out int start, out int length)
    {
        if (!c.Uvarint(out var n))
        {
            start = length = 0;
            return false;
        }

        start = c.Pos;
        if (n > (ulong)(c.Data.Length - c.Pos))
        {
            c.NeedBody(start, n);
            length = 0;
            return false;
        }

        length = (int)n;
        c.Pos += length;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool Contents(ref Cursor c)
    {
        _contentsLengthAt = c.Pos;
        _contentsSkipped = false;
        _contentsSkippedInBuffer = false;
        if (_gapAt >= 0 && c.Pos < _gapAt)
        {
            return SkippedContents(ref c);
        }

        if (Text(ref c, out _contentsStart, out _contentsLength))
        {
            _contentsFullLength = (ulong)_contentsLength;
            if ((ulong)_contentsLength > (ulong)ContentsLimit)
            {
                // Over the limit but already buffered: skipped all the same, so the view does not depend on chunking.
                _contentsSkipped = true;
                _contentsSkippedInBuffer = true;
                _contentsLength = 0;
            }

            return true;
        }

        c.BodyIsContents = c.BodyAt >= 0;
        return false;
    }

    /// <summary>Contents whose body was skipped (SkipContents): the length is followed directly by the gap.</summary>
    private bool SkippedContents(ref Cursor c)
    {
        if (!c.Uvarint(out var n))
        {
            return false;
        }

        if (c.Pos != _gapAt || n != (ulong)_gapLength)
        {
            throw new InvalidOperationException("reader bug: the skipped contents do not line up with the record");
        }

        _contentsStart = c.Pos;
        _contentsLength = 0;
        _contentsFullLength = n;
        _contentsSkipped = true;
        return true;
    }

    /// <summary>A field list: (kind, offset) pairs up to kind 0. Go: dumpfields, dumpbv.</summary>
    /// <remarks>Also summarises the list (all ptr? strictly increasing? OR and last of the offsets) so that a
    /// validator can skip walking the lists that are fine, which is nearly all of them.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a single list can hold millions of fields: no tier-0 pass over it
    private bool FieldList(ref Cursor c)
    {
        _fieldsStart = c.Pos;
        switch (ScanFieldList(ref c, out _fieldSummary, out var kind))
        {
            case FieldListEnd.Eol:
                return true;
            case FieldListEnd.Short:
                return false;
            default:
                throw RecordError(StructureRules.UnknownFieldKind, c.Pos - 1,
                    string.Create(CultureInfo.InvariantCulture, $"expected a field kind 0..{HeapDumpFormat.MaxFieldKind}, got {kind}"));
        }
    }

    /// <summary>How <see cref="ScanFieldList"/> stopped.</summary>
    private enum FieldListEnd
    {
        /// <summary>At the list's end (kind 0), the cursor after it.</summary>
        Eol,

        /// <summary>The buffer ended first.</summary>
        Short,

        /// <summary>A kind over <see cref="HeapDumpFormat.MaxFieldKind"/>, the cursor after it.</summary>
        UnknownKind,
    }

    /// <summary>
    /// Reads a field list to its end and summarises it: the reader's <see cref="FieldList"/> and the read-ahead thread's
    /// <see cref="DecodeObjects"/>. <paramref name="unknownKind"/> is the kind when it stops at one.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static FieldListEnd ScanFieldList(ref Cursor c, out FieldListSummary summary, out ulong unknownKind)
    {
        var count = 0;
        var or = 0UL;
        var last = 0UL;
        var increasing = true;
        var allPtr = true;
        summary = default;
        unknownKind = 0;
        while (true)
        {
            if (!c.Uvarint(out var kind))
            {
                return FieldListEnd.Short;
            }

            if (kind == (ulong)FieldKind.Eol)
            {
                summary = new FieldListSummary(count, allPtr, increasing, or, last);
                return FieldListEnd.Eol;
            }

            if (kind > HeapDumpFormat.MaxFieldKind)
            {
                unknownKind = kind;
                return FieldListEnd.UnknownKind;
            }

            if (!c.Uvarint(out var offset))
            {
                return FieldListEnd.Short;
            }

            allPtr &= kind == (ulong)FieldKind.Ptr;
            increasing &= count == 0 || offset > last;
            or |= offset;
            last = offset;
            count++;
        }
    }

    /// <summary>
    /// The first index at or after <paramref name="from"/> in <paramref name="window"/> (bytes from the middle of a
    /// dump's objects) where <paramref name="chain"/> object records decode one after another, each address in
    /// [<paramref name="heapStart"/>, <paramref name="heapEnd"/>) and each field inside its contents; -1 when none does.
    /// </summary>
    /// <remarks>A guess, not a proof: an object's contents can hold anything, records included. Whoever uses the index
    /// must confirm it is a boundary of the file's records (the validator confirms it when its first reader reaches it).</remarks>
    internal static int FindObjectBoundary(ReadOnlySpan<byte> window, int from, int chain, ulong heapStart, ulong heapEnd)
    {
        for (var at = from; at < window.Length; at++)
        {
            var next = window[at..].IndexOf((byte)RecordKind.Object);
            if (next < 0)
            {
                return -1;
            }

            at += next;
            if (ObjectsFollow(window, at, chain, heapStart, heapEnd))
            {
                return at;
            }
        }

        return -1;
    }

    private static bool ObjectsFollow(ReadOnlySpan<byte> window, int at, int chain, ulong heapStart, ulong heapEnd)
    {
        var c = new Cursor(window, at);
        for (var n = 0; n < chain; n++)
        {
            if (!c.Uvarint(out var tag) || tag != (ulong)RecordKind.Object
                || !c.Uvarint(out var address) || address < heapStart || address >= heapEnd
                || !c.Uvarint(out var size) || size > (ulong)(window.Length - c.Pos))
            {
                return false;
            }

            c.Pos += (int)size;
            while (true)
            {
                if (!c.Uvarint(out var kind) || kind > HeapDumpFormat.MaxFieldKind)
                {
                    return false;
                }

                if (kind == (ulong)FieldKind.Eol)
                {
                    break;
                }

                if (!c.Uvarint(out var offset) || offset >= size)
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>A position in the buffered bytes, and why decoding stopped short.</summary>
    private ref struct Cursor
    {
        public readonly ReadOnlySpan<byte> Data;
        public int Pos;
        public int NonMinimal;
        public int FirstNonMinimal;
        public UvarintStatus Failure;
        public int FailureAt;
        public int BodyAt;
        public ulong BodyLength;
        public bool BodyIsContents;

        public Cursor(ReadOnlySpan<byte> data, int pos)
        {
            Data = data;
            Pos = pos;
            FirstNonMinimal = -1;
            BodyAt = -1;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool Uvarint(out ulong value)
        {
            if ((uint)Pos < (uint)Data.Length)
            {
                var b = Data[Pos];
                if (b < 0x80)
                {
                    Pos++;
                    value = b;
                    return true;
                }
            }

            return UvarintWord(out value);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)] // every object's address takes this path: no call
        private bool UvarintWord(out ulong value)
        {
            // Addresses take 5 or 6 bytes: decode up to 8 bytes at once when they are buffered. The stop bit
            // marks the last byte; the 7-bit groups are packed pairwise in three steps (Go: encoding/binary
            // Uvarint, same result). Not PEXT: Native AOT targets x86-64-v2, which has no BMI2, and PEXT is
            // microcoded on AMD before Zen 3.
            if (Data.Length - Pos >= sizeof(ulong))
            {
                var word = BinaryPrimitives.ReadUInt64LittleEndian(Data[Pos..]);
                var stops = ~word & 0x8080808080808080UL;
                if (stops != 0)
                {
                    var bits = BitOperations.TrailingZeroCount(stops) + 1; // through the last byte's stop bit
                    var length = bits >> 3;
                    var groups = (bits == 64 ? word : word & ((1UL << bits) - 1)) & 0x7f7f7f7f7f7f7f7fUL;
                    groups = (groups & 0x007f007f007f007fUL) | ((groups & 0x7f007f007f007f00UL) >> 1);
                    groups = (groups & 0x00003fff00003fffUL) | ((groups & 0x3fff00003fff0000UL) >> 2);
                    value = (groups & 0x000000000fffffffUL) | ((groups & 0x0fffffff00000000UL) >> 4);
                    if (length > 1 && (byte)(word >> ((length - 1) * 8)) == 0 && NonMinimal++ == 0)
                    {
                        FirstNonMinimal = Pos;
                    }

                    Pos += length;
                    return true;
                }
            }

            return UvarintSlow(out value);
        }

        /// <summary>Fewer than 8 bytes buffered, or a uvarint longer than 8 bytes: one byte at a time.</summary>
        private bool UvarintSlow(out ulong value)
        {
            var status = GoHeapDump.Uvarint.TryRead(Data[Pos..], out value, out var consumed);
            if (status == UvarintStatus.Ok)
            {
                // A minimal encoding never ends in a zero byte unless it is the single byte 00 (rule S10).
                if (consumed > 1 && Data[Pos + consumed - 1] == 0 && NonMinimal++ == 0)
                {
                    FirstNonMinimal = Pos;
                }

                Pos += consumed;
                return true;
            }

            Failure = status;
            FailureAt = Pos + consumed;
            return false;
        }

        public void NeedBody(int at, ulong length)
        {
            Failure = UvarintStatus.NeedMoreData;
            BodyAt = at;
            BodyLength = length;
        }
    }
}
