using GoHeapDump.Runtime;

namespace GoHeapDump.Reference.Tests;

/// <summary>
/// <c>goheapdump generate</c>'s streamed state (<see cref="StateBuilder.Stream"/>, spans filled while the writer walks
/// them) against the materialised one (<see cref="StateBuilder.Build(ulong, int, string, GoRelease)"/>): the same spans,
/// and the same dump in the same write calls, for every release on 64- and 32-bit, little- and big-endian targets.
/// </summary>
public class StateBuilderStreamTests
{
    private static readonly string[] Arches = ["amd64", "arm", "mips", "s390x"];

    /// <summary>Every modelled release with a few seeds and object counts drawn from the test's own seed (0, 1, and up to 3000).</summary>
    public static TheoryData<string, string, ulong, int> Cases()
    {
        var random = new Random(15);
        var data = new TheoryData<string, string, ulong, int>();
        foreach (var release in StateBuilder.Releases)
        {
            var go = $"{release.Major}.{release.Minor}";
            foreach (var arch in Arches)
            {
                var objects = random.Next(4) switch { 0 => 0, 1 => 1, _ => random.Next(2, 3000) };
                data.Add(go, arch, (ulong)random.Next(1, 1000), objects);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Stream_SameDumpInTheSameWriteCallsAsTheBuiltState(string go, string arch, ulong seed, int objects)
    {
        var release = StateBuilder.FindRelease(go)!.Value;
        RuntimeState state;
        try
        {
            state = StateBuilder.Build(seed, objects, arch, release);
        }
        catch (ArgumentException)
        {
            // A GOARCH the release did not have: refused the same way.
            Assert.Throws<ArgumentException>(() => StateBuilder.Stream(seed, objects, arch, release));
            return;
        }

        using var builtBytes = new MemoryStream();
        var built = new RecordingDumpSink(new StreamDumpSink(builtBytes));
        HeapDumpWriter.Write(state, built);
        var (streamedState, spans) = StateBuilder.Stream(seed, objects, arch, release);
        using var streamedBytes = new MemoryStream();
        var streamed = new RecordingDumpSink(new StreamDumpSink(streamedBytes));
        HeapDumpWriter.Write(streamedState, spans, streamed);

        Assert.Equal(builtBytes.ToArray(), streamedBytes.ToArray());
        Assert.Equal(built.CallLengths, streamed.CallLengths);
    }

    [Theory]
    [InlineData("1.19", "amd64")]
    [InlineData("1.21", "mips")]
    [InlineData("1.22", "arm")]
    [InlineData("1.27", "s390x")]
    public void Stream_EveryWalkGivesTheBuiltSpansAndTheRestOfTheState(string go, string arch)
    {
        var release = StateBuilder.FindRelease(go)!.Value;
        var built = StateBuilder.Build(3, 20_000, arch, release);
        var (state, spans) = StateBuilder.Stream(3, 20_000, arch, release);

        Assert.Empty(state.Spans);
        Assert.Equal(built.With(spans: []).ToString(), state.ToString());
        for (var walk = 0; walk < 2; walk++)
        {
            var walked = spans.Walk().ToList();
            Assert.Equal(built.Spans.Length, walked.Count);
            for (var i = 0; i < walked.Count; i++)
            {
                AssertSameSpan(built.Spans[i], walked[i], $"span {i}, walk {walk}");
            }
        }

        var specials = built.Spans.Where(s => s.State == SpanState.InUse).SelectMany(s => s.Specials.Select(sp => (s.Base, sp)));
        Assert.Equal(specials, spans.Specials());
        Assert.Contains(spans.Specials(), s => s.Special is FinalizerSpecial);
    }

    [Fact]
    public void Stream_WalkAbandonedMidway_LaterWalksStillGiveEverySpan()
    {
        // The first walk starts with the spans filled while the plan was made and fills the rest ahead of its reader; one
        // left after a few spans stops its filler, and the walks after it fill every span again, the same.
        var release = StateBuilder.Newest;
        var built = StateBuilder.Build(5, 200_000, "amd64", release);
        var (_, spans) = StateBuilder.Stream(5, 200_000, "amd64", release);

        var some = spans.Walk().Take(3).ToList();
        for (var i = 0; i < some.Count; i++)
        {
            AssertSameSpan(built.Spans[i], some[i], $"span {i}, abandoned walk");
        }

        for (var walk = 0; walk < 2; walk++)
        {
            var walked = spans.Walk().ToList();
            Assert.Equal(built.Spans.Length, walked.Count);
            for (var i = 0; i < walked.Count; i++)
            {
                AssertSameSpan(built.Spans[i], walked[i], $"span {i}, walk {walk}");
            }
        }
    }

    [Theory]
    [InlineData("1.19", "amd64", 0L)]
    [InlineData("1.22", "arm", 4096L)]
    [InlineData("1.27", "s390x", 100_000L)]
    [InlineData("1.26", "mips", 100_000L)]
    public void Stream_PointerLogEndingWithinTheHeap_SameDumpAsTheBuiltState(string go, string arch, long logBudget)
    {
        // The plan's skip logs the pointers of the first spans only, up to its budget; the fill makes those from the log and
        // draws the rest (and the few the log leaves to it) again: the bytes do not depend on where the log ends.
        var release = StateBuilder.FindRelease(go)!.Value;
        var expected = HeapDumpWriter.ToBytes(StateBuilder.Build(7, 60_000, arch, release));
        var (state, spans) = StateBuilder.Stream(7, 60_000, arch, release, logBudget);
        using var streamed = new MemoryStream();
        HeapDumpWriter.Write(state, spans, new StreamDumpSink(streamed));

        Assert.Equal(expected, streamed.ToArray());
    }

    [Fact]
    public void Stream_WalkOnce_EachSpanRightWhenGivenAndLaterWalksUntouched()
    {
        // WalkOnce gives a span's memory to a later span once its reader asks for the next: each span is checked when given.
        var release = StateBuilder.FindRelease("1.24")!.Value;
        var built = StateBuilder.Build(11, 150_000, "amd64", release);
        var (_, spans) = StateBuilder.Stream(11, 150_000, "amd64", release);

        for (var walk = 0; walk < 2; walk++)
        {
            var i = 0;
            foreach (var span in spans.WalkOnce())
            {
                AssertSameSpan(built.Spans[i], span, $"span {i}, walk once {walk}");
                i++;
            }

            Assert.Equal(built.Spans.Length, i);
        }

        var walked = spans.Walk().ToList();
        Assert.Equal(built.Spans.Length, walked.Count);
        for (var i = 0; i < walked.Count; i++)
        {
            AssertSameSpan(built.Spans[i], walked[i], $"span {i}, walk after");
        }
    }

    [Fact]
    public void Write_StateWithSpansOfItsOwnAndAWalk_Refused()
    {
        var built = StateBuilder.Build(1, 100, "amd64", StateBuilder.Newest);
        Assert.Throws<ArgumentException>(() => HeapDumpWriter.Write(built, AllSpans.Of(built.Spans), new StreamDumpSink(Stream.Null)));
    }

    private static void AssertSameSpan(HeapSpan expected, HeapSpan actual, string where)
    {
        Assert.True(expected.Base == actual.Base && expected.Pages == actual.Pages && expected.State == actual.State, where);
        Assert.True(expected.ElemSize == actual.ElemSize && expected.ElemCount == actual.ElemCount && expected.NoScan == actual.NoScan, where);
        Assert.True(expected.FreeSlots.Equals(actual.FreeSlots), where);
        Assert.True(expected.Memory.AsSpan().SequenceEqual(actual.Memory.AsSpan()), where);
        Assert.True(expected.Bits == actual.Bits, where);
        Assert.True(ReferenceEquals(expected.LargeType, actual.LargeType) || expected.LargeType == actual.LargeType, where);
        Assert.Equal(expected.Specials.AsEnumerable(), actual.Specials.AsEnumerable());
    }
}
