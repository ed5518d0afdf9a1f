using System.Numerics;
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
        foreach (var span in _state.Spans)
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
        var p = span.Base;
        for (var j = 0; j < slots; j++, p += (ulong)size)
        {
            if (j < nelems && (free[j >> 6] & (1UL << j)) != 0 && (_faults & WriterFaults.FreeSlotDumped) == 0)
            {
                continue;
            }

            // Go: makeheapobjbv: words from the object's start while the scan bit is set (at most nptr).
            var first = j * words;
            var scanEnd = scan.FirstClear(first, first + words);
            DumpObj(p, memory.Slice(j * size, size), pointer, first, scanEnd);
        }
    }

    /// <summary>
    /// Go: heapdump.go dumpobj(obj, size, makeheapobjbv(obj, size)): tag, address, contents, then a pointer
    /// field for each pointer word before the end-of-pointers word (words [first, scanEnd) of the span).
    /// </summary>
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
                n += PrimitiveEncoder.WriteUvarint(dst[n..], (ulong)contents.Length);
                contents.CopyTo(dst[n..]);
                n += contents.Length;
                n = WritePointerFields(dst, n, pointerBits, first, scanEnd);
                dst[n++] = (byte)FieldKind.Eol;
                _out.Advance(n);
                return;
            }
        }

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
                n += PrimitiveEncoder.WriteUvarint(dst[n..], (ulong)i << ptrShift);
                word &= word - 1;
            }

            w = limit;
        }

        return n;
    }
}
