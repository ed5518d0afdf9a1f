using System.Numerics;
using System.Runtime.CompilerServices;
using GoHeapDump.Runtime;

namespace GoHeapDump.Reference;

public sealed partial class HeapDumpWriter
{
    /// <summary>
    /// Go: heapdump.go dumpobjs. Every in-use span, every slot of (npages &lt;&lt; _PageShift) / elemsize that is
    /// not free, as an object record; a span with more slots than the free-mark array makes the runtime throw.
    /// </summary>
    /// <remarks>
    /// The runtime marks free slots (index &lt; nelems) in a shared array and clears each mark as it passes
    /// it. Because the model has nelems ≤ slots, every mark is cleared within its span, so "slot j is free"
    /// is exactly <see cref="HeapSpan.IsFree"/>.
    /// </remarks>
    private void DumpObjs()
    {
        foreach (var span in _spans.WalkOnce())
        {
            if (span.State != SpanState.InUse)
            {
                continue;
            }

            var n = span.SlotCount;
            if (n > GoRuntime.FreeMarkEntries)
            {
                throw Throw("freemark array doesn't have enough entries");
            }

            DumpSpanObjects(span, (int)n);
        }
    }

    private void DumpSpanObjects(HeapSpan span, int slots)
    {
        var size = (int)span.ElemSize;
        var words = size / _ptrSize;
        var memory = span.Memory.AsSpan();
        var pointer = span.Bits.Pointer.Words;
        var scan = span.Bits.Scan;
        var free = span.FreeSlots.Words;
        var nelems = span.ElemCount;
        var mode = _release.FieldList;
        if (mode == HeapFieldList.TypePointers && (_faults & WriterFaults.TypePointersAsHeapBits) != 0)
        {
            mode = HeapFieldList.PointerBits;
        }

        // Go 1.22+ mbitmap.go typePointersOfUnchecked: a noscan span has no pointers; one whose objects fit
        // heapBitsInSpan (at most PtrSize·8·PtrSize bytes) keeps per-word heap bits at its end; larger objects carry
        // their type in a malloc header (small spans) or in span.largeType (large objects).
        var typed = mode == HeapFieldList.TypePointers && !span.NoScan && span.ElemSize > (ulong)(_ptrSize * _ptrSize * 8);
        var p = span.Base;
        for (var j = 0; j < slots; j++, p += (ulong)size)
        {
            if (j < nelems && (free[j >> 6] & (1UL << j)) != 0 && (_faults & WriterFaults.FreeSlotDumped) == 0)
            {
                continue;
            }

            var first = j * words;
            var contents = memory.Slice(j * size, size);
            if (typed)
            {
                DumpTypedObj(p, contents, span);
                continue;
            }

            var end = mode switch
            {
                // Go: makeheapobjbv: words from the object's start while the scan bit is set (at most nptr); which words
                // the end-of-object test skips depends on the release's bitmap.
                HeapFieldList.ScanEveryWord => scan.FirstClear(first, first + words),
                HeapFieldList.ScanSkipWord1 => words == 0 || !scan[first] ? first : words <= 2 ? first + words : scan.FirstClear(first + 2, first + words),
                HeapFieldList.ScanFromWord2 => words <= 2 ? first + words : scan.FirstClear(first + 2, first + words),
                HeapFieldList.TypePointers when span.NoScan => first,
                _ => first + words, // every pointer bit of the slot
            };
            DumpObj(p, contents, pointer, first, end);
        }
    }

    /// <summary>Go 1.22+ makeheapobjbv over typePointersOf(p, size) for an object with a malloc header or a large object.</summary>
    private void DumpTypedObj(ulong address, ReadOnlySpan<byte> contents, HeapSpan span)
    {
        RuntimeType type;
        ulong start;
        if (span.ElemSize > MaxSmallSize)
        {
            type = span.LargeType!;
            start = 0;
        }
        else
        {
            // The header: the object's first word points at its type; its data starts mallocHeaderSize (8) bytes in.
            var header = ReadWord(contents);
            type = _typesByAddress.Value[header];
            start = MallocHeaderSize;
        }

        // Go: typePointers.next(p + size) repeats the type's mask every type size from the data's start, cut at the slot's end.
        var words = contents.Length / _ptrSize;
        var bits = _tmpbuf.Length >= (words + 63) / 64 ? _tmpbuf : _tmpbuf = new ulong[(words + 63) / 64];
        bits.AsSpan(0, (words + 63) / 64).Clear();
        var mask = type.GCMask;
        for (var elem = start; elem < (ulong)contents.Length; elem += type.Size)
        {
            foreach (var w in mask.SetIndices())
            {
                var word = (elem / (ulong)_ptrSize) + (ulong)w;
                if (word < (ulong)words)
                {
                    bits[word >> 6] |= 1UL << (int)(word & 63);
                }
            }
        }

        DumpObj(address, contents, bits, 0, words);
    }

    private const ulong MaxSmallSize = 32768;

    /// <summary>Go: mbitmap.go mallocHeaderSize.</summary>
    private const ulong MallocHeaderSize = 8;

    /// <summary>Go: makeheapobjbv's tmpbuf, grown as needed.</summary>
    private ulong[] _tmpbuf = [];

    private ulong ReadWord(ReadOnlySpan<byte> bytes) => (_ptrSize, _state.Platform.BigEndian) switch
    {
        (8, false) => System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(bytes),
        (8, true) => System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes),
        (_, false) => System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(bytes),
        _ => System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes),
    };

    /// <summary>
    /// Go: heapdump.go dumpobj(obj, size, makeheapobjbv(obj, size)): tag, address, contents, then a pointer
    /// field for each pointer word before the end-of-pointers word (words [first, scanEnd) of the span).
    /// </summary>
    // Inlined into its callers, the fast path among them: called with its spans by value, Native AOT stored them on the
    // stack and read them back in pieces it could not forward (a stall an object, a sixth of the writer's time).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void DumpObj(ulong address, ReadOnlySpan<byte> contents, ReadOnlySpan<ulong> pointerBits, int first, int scanEnd)
    {
        // Fast path: when the whole record fits in the buffer, none of its dwrites flushes, so writing it in
        // one go is the same as making them one by one. Bound: tag, address, length, bytes, ≤ one field per
        // scanned word (kind + offset ≤ 1 + 5 bytes while offsets stay below 2^35), end marker.
        var bound = (long)contents.Length + 1 + 10 + 5 + ((long)(scanEnd - first) * 6) + 1;
        if (bound <= DumpBuffer.Size && contents.Length < (1 << 28))
        {
            var dst = _out.TryReserve((int)bound);
            if (!dst.IsEmpty)
            {
                var n = 0;
                dst[n++] = (byte)RecordKind.Object;
                n += PrimitiveEncoder.WriteUvarint(dst[n..], address);
                n = PutUvarint(dst, n, (ulong)contents.Length);
                contents.CopyTo(dst[n..]);
                n += contents.Length;
                n = WritePointerFields(dst, n, pointerBits, first, scanEnd);
                dst[n++] = (byte)FieldKind.Eol;
                _out.Advance(n);
                return;
            }
        }

        DumpObjByWrites(address, contents, pointerBits, first, scanEnd);
    }

    /// <summary><see cref="DumpObj"/>'s dwrites one by one: a record that does not fit in the buffer's free part.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void DumpObjByWrites(ulong address, ReadOnlySpan<byte> contents, ReadOnlySpan<ulong> pointerBits, int first, int scanEnd)
    {
        DumpInt((ulong)RecordKind.Object);
        DumpInt(address);
        DumpMemRange(contents);
        for (var w = first; w < scanEnd; w++)
        {
            if ((pointerBits[w >> 6] & (1UL << w)) != 0)
            {
                DumpPtrField((ulong)(w - first) * (ulong)_ptrSize);
            }
        }

        DumpInt((ulong)FieldKind.Eol);
    }

    /// <summary>
    /// The uvarint of <paramref name="value"/> at <paramref name="n"/>; returns the index after it. A value below 0x80 (most
    /// lengths and field offsets) is its own byte, written here: a call a field otherwise.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int PutUvarint(Span<byte> dst, int n, ulong value)
    {
        if (value < 0x80)
        {
            dst[n] = (byte)value;
            return n + 1;
        }

        return n + PrimitiveEncoder.WriteUvarint(dst[n..], value);
    }

    /// <summary>Writes (ptr, offset) for every set pointer bit in words [first, end), offsets from word <paramref name="first"/>.</summary>
    private int WritePointerFields(Span<byte> dst, int n, ReadOnlySpan<ulong> bits, int first, int end)
    {
        var ptrShift = _ptrSize == 8 ? 3 : 2;
        var w = first;
        while (w < end)
        {
            var word = bits[w >> 6] >> (w & 63);
            var limit = Math.Min(end, (w | 63) + 1);
            if (limit - w < 64)
            {
                word &= (1UL << (limit - w)) - 1;
            }

            while (word != 0)
            {
                var i = w + BitOperations.TrailingZeroCount(word) - first;
                dst[n++] = (byte)FieldKind.Ptr;
                n = PutUvarint(dst, n, (ulong)i << ptrShift);
                word &= word - 1;
            }

            w = limit;
        }

        return n;
    }
}
