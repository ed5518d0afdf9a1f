using GoHeapDump.Runtime;

namespace GoHeapDump.Reference.Tests;

/// <summary>The seeded builder: deterministic, realistic, and covering every rule the writer has.</summary>
public class StateBuilderTests
{
    public static TheoryData<string> Architectures() => [.. GoArchitecture.Names];

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Build_EveryArch_ValidStateWithExactlyTheObjectCountThatWritesWithoutThrowing(string arch)
    {
        var state = StateBuilder.Build(11, 3000, arch);

        Assert.Equal(arch, state.Platform.Goarch.ToString());
        Assert.Equal(GoArchitecture.Get(arch).PtrSize, state.Platform.PtrSize);
        Assert.Equal(3000UL, state.MemStats.HeapObjects);
        var live = state.Spans.Where(s => s.State == SpanState.InUse).Sum(s => (long)s.SlotCount - s.FreeSlots.PopCount);
        Assert.Equal(3000, live);

        var bytes = HeapDumpWriter.ToBytes(state);
        Assert.Equal(HeapDumpFormat.HeaderBytes(HeaderVersion.Go17), bytes[..16]);
        Assert.Equal(0, bytes[^1]);
    }

    [Fact]
    public void Build_SameArguments_SameBytes()
    {
        var a = HeapDumpWriter.ToBytes(StateBuilder.Build(42, 5000, "s390x"));
        var b = HeapDumpWriter.ToBytes(StateBuilder.Build(42, 5000, "s390x"));
        Assert.Equal(a, b);
    }

    [Fact]
    public void Build_DifferentSeed_DifferentBytes() =>
        Assert.NotEqual(HeapDumpWriter.ToBytes(StateBuilder.Build(1, 2000)), HeapDumpWriter.ToBytes(StateBuilder.Build(2, 2000)));

    [Fact]
    public void Build_ZeroObjects_NoObjectSpans()
    {
        var state = StateBuilder.Build(5, 0);
        Assert.DoesNotContain(state.Spans, s => s.State == SpanState.InUse);
        Assert.NotEmpty(HeapDumpWriter.ToBytes(state));
    }

    [Fact]
    public void Build_TypicalState_ExercisesEveryRule()
    {
        var state = StateBuilder.Build(7, 200_000);
        var inUse = state.Spans.Where(s => s.State == SpanState.InUse).ToList();
        var frames = state.Goroutines.SelectMany(g => g.Frames).ToList();

        // Heap: several size classes, large objects, free slots, spans in other states, arenas with a gap.
        Assert.True(inUse.Select(s => s.ElemSize).Distinct().Count() >= 8);
        Assert.Contains(inUse, s => s.ElemSize > 32768);
        Assert.Contains(inUse, s => s.FreeSlots.PopCount > 0);
        Assert.Contains(state.Spans, s => s.State == SpanState.Manual);
        Assert.Contains(inUse, s => s.Specials.OfType<FinalizerSpecial>().Any());
        Assert.Contains(inUse, s => s.Specials.OfType<ProfileSpecial>().Any());

        // Types: a bucket with more than four types, so the cache evicts; pointer-to-named and generic names.
        Assert.Contains(state.Types.GroupBy(t => t.Hash & 0xff), g => g.Count() > 4);
        Assert.Contains(state.Types, t => t.PkgPath is { Length: > 0 } && !t.Named);
        Assert.Contains(state.Types, t => t.Str.ToString().Contains('[', StringComparison.Ordinal));

        // Goroutines: every dumpable status and dead ones; unknown wait reasons; syscalls.
        foreach (var status in new[] { GoroutineStatus.Runnable, GoroutineStatus.Syscall, GoroutineStatus.Waiting, GoroutineStatus.Dead })
        {
            Assert.Contains(state.Goroutines, g => g.Status == status);
        }

        Assert.Contains(state.Goroutines, g => g.WaitReason >= state.WaitReasonStrings.Length);
        Assert.Contains(state.Goroutines, g => g.SyscallSp != 0);

        // Frames: every kind of locals map, args maps and none, entry PCs, an empty function name.
        Assert.Contains(frames, f => f.Function!.LocalsPointerMaps is null);
        Assert.Contains(frames, f => f.Function!.LocalsPointerMaps is { Count: < 0 });
        Assert.Contains(frames, f => f.Function!.LocalsPointerMaps is { Count: 0 });
        Assert.Contains(frames, f => f.Function!.LocalsPointerMaps is { Count: > 0 });
        Assert.Contains(frames, f => f.Function!.ArgsPointerMaps is not null);
        Assert.Contains(frames, f => f.Pc == f.Function!.Entry);

        // Defers (open-coded too) and nested panics.
        Assert.Contains(state.Goroutines, g => g.Defers.Any(d => d.Fn is null));
        Assert.Contains(state.Goroutines, g => g.Defers.Any(d => d.Fn is not null));
        Assert.Contains(state.Goroutines, g => g.Panics.Length >= 2);

        // Roots and profiles.
        Assert.NotEmpty(state.Threads);
        Assert.True(state.Data.PointerMask.PopCount > 0);
        Assert.NotEmpty(state.FinalizerQueue);
        Assert.Contains(state.MemProfBuckets, b => b.Stack.Any(pc => state.FindFunc(pc) is null));
        Assert.Contains(state.MemProfBuckets, b => b.Stack.Skip(1).Any(pc => state.FindFunc(pc) is { } f && pc > f.Entry));
    }

    [Fact]
    public void Build_BigEndian32Bit_PointersInTargetOrder()
    {
        var state = StateBuilder.Build(3, 1000, "mips");
        Assert.True(state.Platform.BigEndian);
        Assert.Equal(4, state.Platform.PtrSize);

        // Every non-nil pointer word, read big-endian, points into the heap's spans.
        var inUse = state.Spans.Where(s => s.State == SpanState.InUse).ToList();
        var low = inUse.Min(s => s.Base);
        var high = inUse.Max(s => s.Base + s.ByteCount);
        int nonNil = 0, inHeap = 0;
        foreach (var span in inUse)
        {
            foreach (var w in span.Bits.Pointer.SetIndices())
            {
                var value = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(span.Memory.AsSpan(w * 4, 4));
                if (value != 0)
                {
                    nonNil++;
                    inHeap += value >= low && value < high ? 1 : 0;
                }
            }
        }

        Assert.True(nonNil > 100);
        Assert.Equal(nonNil, inHeap);
    }
}
