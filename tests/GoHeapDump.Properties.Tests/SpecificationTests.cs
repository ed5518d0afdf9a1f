using GoHeapDump.Runtime;
using GoHeapDump.Specification;

namespace GoHeapDump.Properties.Tests;

/// <summary>
/// Hand-worked cases for the specification function's rules that are stated differently from the runtime's
/// machinery (the type cache as "the four most recently used distinct types", the buffer as a rule over
/// dwrite lengths), so a mistake in the statement itself shows here and not only as a disagreement.
/// </summary>
public sealed class SpecificationTests
{
    private static RuntimeType Type(ulong address, uint hash) => new() { Address = address, Hash = hash, Str = "T" };

    [Fact]
    public void Expect_FiveTypesInOneBucket_WritesEvictedTypeAgain()
    {
        // One bucket (hash & 255 = 7). Itabs name A B C D A E B: A hits and moves to the front, E evicts the
        // least recent (B), so B is written again: A B C D E B. A type of another bucket never interferes.
        var (a, b, c, d, e) = (Type(0xa0, 0x107), Type(0xb0, 0x207), Type(0xc0, 0x307), Type(0xd0, 0x407), Type(0xe0, 0x507));
        var other = Type(0xf0, 0x108);
        RuntimeType[] order = [a, b, c, d, a, other, e, b];
        var state = new RuntimeState(
            RuntimePlatform.ForArch("amd64"),
            types: [a, b, c, d, e, other],
            itabs: order.Select((t, i) => new Itab(0x1000 + (ulong)i * 0x20, t)));
        var written = DumpSpecification.Expect(state).Records.OfType<TypeRecord>().Select(t => t.Address);
        Assert.Equal([0xa0UL, 0xb0, 0xc0, 0xd0, 0xf0, 0xe0, 0xb0], written);
    }

    [Fact]
    public void Expect_RepeatedHitsWithoutEviction_WriteEachTypeOnce()
    {
        var (a, b) = (Type(0xa0, 1), Type(0xb0, 1));
        var state = new RuntimeState(RuntimePlatform.ForArch("amd64"), types: [a, b], itabs: [new(0x10, a), new(0x20, b), new(0x30, a), new(0x40, b), new(0x50, null)]);
        var records = DumpSpecification.Expect(state).Records;
        Assert.Equal([RecordKind.Type, RecordKind.Itab, RecordKind.Type, RecordKind.Itab, RecordKind.Itab, RecordKind.Itab, RecordKind.Itab], records.Skip(1).TakeWhile(r => r is TypeRecord or ItabRecord).Select(r => r.Kind));
        Assert.Equal(0UL, records.OfType<ItabRecord>().Last().TypeAddress);
    }

    [Theory]
    [InlineData("4000 96", "4096")] // fills the buffer exactly: no write until the flush
    [InlineData("4000 97", "4000 97")] // does not fit: the buffer goes out, 97 starts the next
    [InlineData("10 5000 3", "10 5000 3")] // too big for the buffer: buffer out, then the data directly
    [InlineData("5000", "0 5000 0")] // the empty buffer is still written out (an empty write), and flushed at the end
    [InlineData("4096", "4096")] // exactly the buffer size fits
    [InlineData("4096 1", "4096 1")]
    [InlineData("", "0")] // the final flush writes nothing
    public void WriteCalls_Dwrites_FollowTheBufferRule(string dwrites, string calls)
    {
        static int[] Parse(string s) => s.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToArray();
        Assert.Equal(Parse(calls), WriteCallSpecification.WriteCalls(Parse(dwrites), flush: true));
    }

    [Fact]
    public void Expect_BadStatusAfterOneGoroutine_StopsAfterTheFirstGoroutine()
    {
        var ok = new Goroutine { Address = 0x100, Status = GoroutineStatus.Waiting };
        var bad = new Goroutine { Address = 0x200, Status = GoroutineStatus.Running };
        var expected = DumpSpecification.Expect(new RuntimeState(RuntimePlatform.ForArch("386"), goroutines: [ok, bad]));
        Assert.Equal("dumpgs in STW - bad status", expected.Throw?.GoThrow);
        Assert.IsType<GoroutineRecord>(expected.Records[^1]);
        Assert.Equal(0x100UL, ((GoroutineRecord)expected.Records[^1]).Address);
    }
}
