using System.Collections.Immutable;
using GoHeapDump.Runtime;

namespace GoHeapDump.Reference.Tests;

/// <summary>Go: heapdump.go dumpobjs, dumpobj, makeheapobjbv.</summary>
public class DumpObjsTests
{
    private const ulong Base = 0xc000000000;

    private static RuntimeState WithSpans(params HeapSpan[] spans) => new(Fixture.Amd64, arenas: [Fixture.Arena], spans: spans);

    [Fact]
    public void Write_SpanWithFreeSlot_SkipsItAndStopsFieldsAtEndOfPointers()
    {
        // 2728-byte slots (341 words): 3 slots in the page. Slot 1 is free. Slot j is filled with 0xa0 + j.
        var memory = new byte[3 * 2728];
        for (var j = 0; j < 3; j++)
        {
            memory.AsSpan(j * 2728, 2728).Fill((byte)(0xa0 + j));
        }

        // Slot 0: words 0 (pointer), 1 (scalar), 2 (pointer) scan; word 3 dead; word 5 pointer+scan after the
        // dead word, which makeheapobjbv never reaches. Slot 2 (words 682…): pointer, scalar, then dead.
        var pointer = BitVector.FromIndices(1023, 0, 2, 5, 682);
        var scan = BitVector.FromIndices(1023, 0, 1, 2, 5, 682, 683);
        var span = Fixture.Span(Base, 2728) with
        {
            FreeSlots = BitVector.FromIndices(3, 1),
            Memory = ImmutableArray.Create(memory),
            Bits = new HeapBitmap(pointer, scan),
        };

        Bytes.Equal(
            Fixture.Hex(
                Fixture.Header,
                Fixture.ParamsOneArena,
                """
                01                     # object
                80 80 80 80 80 18      # address 0xc000000000
                a8 15                  # 2728 bytes
                a0*2728
                01 00                  # ptr at 0
                01 10                  # ptr at 16 (word 2); word 3 is dead: word 5 is not listed
                00                     # end of fields
                                       # slot 1 at 0xc000000aa8 is free
                01                     # object
                d0 aa 80 80 80 18      # address 0xc000001550 = base + 2·2728
                a8 15
                a2*2728
                01 00                  # ptr at 0; word 1 scalar; word 2 dead
                00
                """,
                Fixture.Tail),
            HeapDumpWriter.ToBytes(WithSpans(span)));
    }

    [Fact]
    public void Write_ObjectLargerThanBuffer_GoesStraightThrough()
    {
        var span = Fixture.Span(Base, 8192, fill: 0x5a);
        var sink = Fixture.Record(WithSpans(span));

        // 16 header + 31 params + 01 + 6 address + 80 40 = 56 buffered; the 8192 contents do not fit: write
        // the 56, then the contents themselves; then 00 (no fields) + 291 tail = 292 at the final flush.
        Assert.Equal([56, 8192, 292], sink.CallLengths);
        Bytes.Equal(
            Fixture.Hex(
                Fixture.Header,
                Fixture.ParamsOneArena,
                """
                01 80 80 80 80 80 18   # object 0xc000000000
                80 40                  # 8192 bytes
                5a*8192
                00                     # no pointers: the first word is dead
                """,
                Fixture.Tail),
            sink.ToArray());
    }

    [Fact]
    public void Write_SpansNotInUse_AreSkipped_SlotsPastNelemsAreDumped()
    {
        var manual = new HeapSpan { Base = Base, Pages = 1, State = SpanState.Manual };
        var dead = new HeapSpan { Base = Base + 0x2000, Pages = 1, State = SpanState.Dead };

        // nelems 1 of 2 slots: slot 0 is free, slot 1 is past nelems and dumped regardless.
        var span = Fixture.Span(Base + 0x4000, 4096, fill: 0x33) with { ElemCount = 1, FreeSlots = BitVector.FromIndices(1, 0) };
        Bytes.Equal(
            Fixture.Hex(
                Fixture.Header,
                Fixture.ParamsOneArena,
                """
                01 80 a0 81 80 80 18   # object 0xc000005000
                80 20                  # 4096 bytes
                33*4096
                00
                """,
                Fixture.Tail),
            HeapDumpWriter.ToBytes(WithSpans(manual, dead, span)));
    }

    [Fact]
    public void Write_32BitObject_FieldOffsetsInFourByteWords()
    {
        var platform = RuntimePlatform.ForArch("386", "go1.19.8", 1);
        var span = Fixture.Span(0x0a000000, 4096, fill: 0, ptrSize: 4) with
        {
            FreeSlots = BitVector.FromIndices(2, 1),
            Bits = new HeapBitmap(BitVector.FromIndices(2048, 0, 2), BitVector.FromIndices(2048, 0, 1, 2)),
        };
        Bytes.Equal(
            Fixture.Hex(
                Fixture.Header,
                """
                06 00 04 80 80 80 50 80 80 80 52 03 "386" 08 "go1.19.8" 01   # params: arena 0x28
                01 80 80 80 50         # object 0x0a000000
                80 20 00*4096          # 4096 bytes
                01 00                  # ptr at 0
                01 08                  # ptr at 8 (word 2 of 4 bytes)
                00
                """,
                Fixture.Tail),
            HeapDumpWriter.ToBytes(new RuntimeState(platform, arenas: [0x28], spans: [span])));
    }

    [Fact]
    public void Write_ScanBitsToTheEndOfTheObject_StopAtItsLastWord()
    {
        // Slot 0's 512 words all scan, pointers at 0 and 511; slot 1's first word is a pointer too and must not leak.
        var scan = new BitVector.Builder(1024);
        scan.SetRange(0, 513);
        var span = Fixture.Span(Base, 4096) with
        {
            FreeSlots = BitVector.FromIndices(2, 1),
            Bits = new HeapBitmap(BitVector.FromIndices(1024, 0, 511, 512), scan.ToBitVector()),
        };
        Bytes.Equal(
            Fixture.Hex(
                Fixture.Header,
                Fixture.ParamsOneArena,
                """
                01 80 80 80 80 80 18 80 20 00*4096
                01 00                  # ptr at 0
                01 f8 1f               # ptr at 4088 (word 511), the last word: nptr ends the scan
                00
                """,
                Fixture.Tail),
            HeapDumpWriter.ToBytes(WithSpans(span)));
    }

    [Fact]
    public void Write_SpanOf1024Slots_IsDumped()
    {
        // 1024 eight-byte slots: exactly the free-mark array. Each record: 01, 6-byte address, 08, 8 bytes, 00.
        var bytes = HeapDumpWriter.ToBytes(WithSpans(Fixture.Span(Base, 8)));
        Assert.Equal(16 + 31 + (1024 * 17) + 291, bytes.Length);
    }

    [Fact]
    public void Write_SpanWithMoreSlotsThanFreeMarkArray_ThrowsAfterEarlierWrites()
    {
        var large = Fixture.Span(Base, 8192, fill: 1);
        var tooMany = Fixture.Span(Base + 0x2000, 8, pages: 2); // 2048 slots > 1024
        var sink = new RecordingDumpSink();

        var e = Assert.Throws<InvalidRuntimeStateException>(() => HeapDumpWriter.Write(WithSpans(large, tooMany), sink));

        Assert.Equal("freemark array doesn't have enough entries", e.GoThrow);
        Assert.Equal([56, 8192], sink.CallLengths); // what the dying runtime had written; the buffered "00" is lost
        Assert.Equal(56 + 8192, e.BytesWritten);
    }
}
