using System.Collections.Immutable;

namespace GoHeapDump.Runtime.Tests;

public class RuntimeStateFormatterTests
{
    [Fact]
    public void ToString_SmallState_ShowsSlotsBitsAndFrames()
    {
        var span = Sample.Span(elemSize: 4096) with
        {
            FreeSlots = BitVector.FromIndices(2, 1),
            Bits = new HeapBitmap(BitVector.FromIndices(1024, 0), BitVector.FromIndices(1024, 0, 1)),
            Memory = ImmutableArray.Create(Enumerable.Repeat((byte)0xab, 8192).ToArray()),
        };
        var state = new RuntimeState(
            Sample.Amd64,
            arenas: [Sample.Arena],
            spans: [span],
            goroutines: [Sample.Goroutine(Sample.Frame(Sample.Function(), 0x1000))]);

        var text = state.ToString();

        Assert.Contains("platform amd64 ptr=8 little-endian", text, StringComparison.Ordinal);
        Assert.Contains("arenas [0x203000]", text, StringComparison.Ordinal);
        Assert.Contains("span[0] InUse base=0xc000000000 pages=1 elemsize=4096 nelems=2 slots=2 free=[1]", text, StringComparison.Ordinal);
        Assert.Contains("slot 0 0xc000000000 bits=ps....", text, StringComparison.Ordinal);
        Assert.Contains("slot 1 0xc000001000 FREE bits=......", text, StringComparison.Ordinal);
        Assert.Contains("abababab", text, StringComparison.Ordinal);
        Assert.Contains("goroutine 0xc000001a00 status=4", text, StringComparison.Ordinal);
        Assert.Contains("frame \"main.f\" pc=0x401010", text, StringComparison.Ordinal);
    }
}
