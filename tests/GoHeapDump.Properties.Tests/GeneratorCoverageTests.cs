using GoHeapDump.Properties.Tests.Generators;
using GoHeapDump.Runtime;
using GoHeapDump.Specification;

namespace GoHeapDump.Properties.Tests;

/// <summary>
/// The generator reaches every feature and edge the issue lists, at the quick case counts: over a fixed run
/// of seeds at FsCheck's sizes, each feature occurs in some state (counted from the states and from their
/// expected dumps). A generator that lost a feature would let the properties pass without testing it.
/// </summary>
public sealed class GeneratorCoverageTests
{
    private static readonly List<(RuntimeState State, ExpectedDump Dump)> Sample = [.. Enumerable.Range(0, 300).Select(i =>
    {
        var state = StateGenerator.Build((ulong)i * 0x9e3779b97f4a7c15, i % 101, i % 5 == 4 ? StateKind.Fatal : StateKind.Valid);
        return (state, DumpSpecification.Expect(state));
    })];

    public static TheoryData<string> Features => [.. Checks.Keys];

    private static readonly Dictionary<string, Func<RuntimeState, ExpectedDump, bool>> Checks = new()
    {
        ["empty heap"] = (s, _) => s.Spans.IsEmpty,
        ["in-use span"] = (s, _) => s.Spans.Any(x => x.State == SpanState.InUse),
        ["dead span"] = (s, _) => s.Spans.Any(x => x.State == SpanState.Dead),
        ["manual span"] = (s, _) => s.Spans.Any(x => x.State == SpanState.Manual),
        ["free slot"] = (s, _) => s.Spans.Any(x => x.State == SpanState.InUse && x.FreeSlots.PopCount > 0),
        ["nelems below the slot count"] = (s, _) => s.Spans.Any(x => x.State == SpanState.InUse && (ulong)x.ElemCount < x.ByteCount / x.ElemSize),
        ["object larger than the write buffer"] = (_, d) => d.Records.OfType<ObjectRecord>().Any(o => o.Contents.Length > 4096),
        ["pointer bits after the end-of-pointers word"] = (s, _) => s.Spans.Any(x => x.State == SpanState.InUse && GarbageAfterEnd(x, s.Platform.PtrSize)),
        ["pointer size 4"] = (s, _) => s.Platform.PtrSize == 4,
        ["pointer size 8"] = (s, _) => s.Platform.PtrSize == 8,
        ["big-endian"] = (s, _) => s.Platform.BigEndian,
        ["10-byte uvarint"] = (_, d) => d.Dwrites.Contains(10),
        ["heap near the top of the address space"] = (s, _) => s.Spans.Any(x => x.Base >= (s.Platform.PtrSize == 8 ? 0xffff_ffff_0000_0000UL : 0xff00_0000UL)),
        ["more than 4 types in one cache bucket"] = (s, _) => s.Itabs.Where(i => i.Type is not null).Select(i => i.Type!).DistinctBy(t => t.Address).GroupBy(t => t.Hash & 255).Any(b => b.Count() > 4),
        ["type record repeated"] = (_, d) => d.Records.OfType<TypeRecord>().GroupBy(t => t.Address).Any(x => x.Count() > 1),
        ["itab with a nil type"] = (s, _) => s.Itabs.Any(i => i.Type is null),
        ["type name from pkgpath and name"] = (s, _) => s.Itabs.Any(i => i.Type is { PkgPath.Length: > 0, Named: true }),
        ["goroutine without frames"] = (s, _) => s.Goroutines.Any(g => g.Status != GoroutineStatus.Dead && g.Frames.IsEmpty),
        ["goroutine with 4+ frames"] = (s, _) => s.Goroutines.Any(g => g.Frames.Length >= 4),
        ["dead goroutine"] = (s, _) => s.Goroutines.Any(g => g.Status == GoroutineStatus.Dead),
        ["goroutine in a syscall"] = (s, _) => s.Goroutines.Any(g => g.Status == GoroutineStatus.Syscall && g.SyscallSp != 0),
        ["open-coded defer"] = (s, _) => s.Goroutines.Any(g => g.Defers.Any(d => d.Fn is null)),
        ["ordinary defer"] = (s, _) => s.Goroutines.Any(g => g.Defers.Any(d => d.Fn is not null)),
        ["nested panics"] = (s, _) => s.Goroutines.Any(g => g.Panics.Length >= 2),
        ["unknown wait reason"] = (s, _) => s.Goroutines.Any(g => g.Status != GoroutineStatus.Dead && g.WaitReason >= s.WaitReasonStrings.Length),
        ["frame at the function entry"] = (s, _) => Frames(s).Any(f => f.Function is { } fn && f.Pc == fn.Entry),
        ["frame without a function name"] = (s, _) => Frames(s).Any(f => f.Function is { Name.Length: 0 }),
        ["empty frame"] = (s, _) => Frames(s).Any(f => f.Fp == f.Sp),
        ["locals: no map"] = (s, _) => Frames(s).Any(f => f.Function is { LocalsPointerMaps: null }),
        ["locals: map without bitmaps"] = (s, _) => Frames(s).Any(f => f.Function?.LocalsPointerMaps is { Count: 0 }),
        ["locals: size only"] = (s, _) => Frames(s).Any(f => f.Function?.LocalsPointerMaps is { Count: < 0 }),
        ["locals: bitmaps"] = (s, _) => Frames(s).Any(f => f.Function?.LocalsPointerMaps is { Count: > 1 }),
        ["args: no map (conservative)"] = (s, _) => s.Goroutines.Any(g => g.Frames.Length > 1 && g.Frames[0].Function is { ArgsPointerMaps: null, } && g.Frames[0].ArgLen > 0),
        ["args: bitmap"] = (s, _) => s.Goroutines.Any(g => g.Frames.Length > 1 && g.Frames[0].Function?.ArgsPointerMaps is { BitCount: > 0 }),
        ["stack-map index table value -1"] = (s, _) => Frames(s).Any(f => f.Function?.StackMapIndex?.Runs.Any(r => r.Value == -1) == true),
        ["empty string"] = (_, d) => d.Records.OfType<StackFrameRecord>().Any(f => f.Contents.Length == 0) && d.Records.OfType<DataRecord>().Any(x => x.Contents.Length == 0),
        ["name larger than the write buffer"] = (_, d) => d.Records.Any(r => r switch
        {
            GoroutineRecord x => x.WaitReason.Length > 4096,
            StackFrameRecord x => x.Name.Length > 4096,
            TypeRecord x => x.Name.Length > 4096,
            MemProfRecord x => x.Frames.Any(f => f.FuncName.Length > 4096 || f.File.Length > 4096),
            ParamsRecord x => x.Arch?.Length > 4096 || x.VersionInfo.Length > 4096,
            _ => false,
        }),
        ["not UTF-8"] = (_, d) => d.Records.OfType<StackFrameRecord>().Any(x => !x.Name.IsValidUtf8) || d.Records.OfType<TypeRecord>().Any(x => !x.Name.IsValidUtf8),
        ["unresolvable memprof pc"] = (_, d) => d.Records.OfType<MemProfRecord>().Any(m => m.Frames.Any(f => f.File == "?" && f.FuncName.ToString().StartsWith("(0x", StringComparison.Ordinal))),
        ["memprof pc 0"] = (_, d) => d.Records.OfType<MemProfRecord>().Any(m => m.Frames.Any(f => f.FuncName == "(0x0)")),
        ["memprof line lookup at pc-1"] = (s, _) => s.MemProfBuckets.Any(b => b.Stack.Skip(1).Any(pc => s.Functions.Any(f => f.Entry < pc && pc < f.End))),
        ["alloc sample"] = (_, d) => d.Records.OfType<AllocSampleRecord>().Any(),
        ["registered finalizer"] = (_, d) => d.Records.OfType<FinalizerRecord>().Any(),
        ["queued finalizer"] = (_, d) => d.Records.OfType<QueuedFinalizerRecord>().Any(),
        ["special on a span not in use"] = (s, _) => s.Spans.Any(x => x.State != SpanState.InUse && !x.Specials.IsEmpty),
        ["os thread"] = (_, d) => d.Records.OfType<OsThreadRecord>().Any(),
        ["negative ncpu"] = (s, _) => s.Platform.Ncpu < 0,
        ["fatal: bad goroutine status"] = (_, d) => d.Throw?.GoThrow == "dumpgs in STW - bad status",
        ["fatal: span of too many slots"] = (_, d) => d.Throw?.GoThrow == "freemark array doesn't have enough entries",
        ["fatal: unknown pc"] = (_, d) => d.Throw?.GoThrow == "unknown pc",
        ["fatal: unknown caller pc"] = (_, d) => d.Throw?.GoThrow == "unknown caller pc",
        ["go1.5/go1.6 header (thechar)"] = (_, d) => d.Header != HeaderVersion.Go17,
        ["go1.5/go1.6 itab naming *T"] = (s, _) => !s.Release.IsAtLeast(1, 7) && s.Itabs.Any(i => i.Type is { DirectIface: false, PtrTo: not null }),
        ["1.7-1.15 heap bitmap (word 1 skipped)"] = (s, _) => s.Release.IsAtLeast(1, 7) && !s.Release.IsAtLeast(1, 16) && s.Spans.Any(x => x.State == SpanState.InUse),
        ["1.20-1.21 one-bit heap bitmap"] = (s, _) => s.Release.IsAtLeast(1, 20) && !s.Release.IsAtLeast(1, 22) && GarbageAfterEndAnywhere(s),
        ["1.22+ malloc-header object"] = (s, _) => s.Release.IsAtLeast(1, 22) && s.Spans.Any(x => x.State == SpanState.InUse && !x.NoScan && x.ElemSize > (ulong)(s.Platform.PtrSize * s.Platform.PtrSize * 8) && x.ElemSize <= 32768 && x.ElemCount > x.FreeSlots.PopCount),
        ["1.22+ large object with a type"] = (s, _) => s.Spans.Any(x => x.State == SpanState.InUse && x.LargeType is not null && s.Release.IsAtLeast(1, 22)),
        ["1.22+ noscan span"] = (s, _) => s.Release.IsAtLeast(1, 22) && s.Spans.Any(x => x.State == SpanState.InUse && x.NoScan),
        ["1.26+ running goroutine in a system call"] = (s, _) => s.Release.IsAtLeast(1, 26) && s.Goroutines.Any(g => g.Status == GoroutineStatus.Running && g.SyscallSp != 0),
        ["dead-extra goroutine (status 11)"] = (s, _) => s.Goroutines.Any(g => g.Status == GoroutineStatus.DeadExtra),
        ["a dwrite that fills the buffer exactly"] = (_, d) => FillsExactly(d.Dwrites),
    };

    [Theory]
    [MemberData(nameof(Features))]
    public void Generator_QuickRun_CoversFeature(string feature)
    {
        var count = Sample.Count(x => Checks[feature](x.State, x.Dump));
        Assert.True(count > 0, $"no generated state of the {Sample.Count} has '{feature}'");
    }

    private static IEnumerable<StackFrame> Frames(RuntimeState s) =>
        s.Goroutines.Where(g => g.Status != GoroutineStatus.Dead).SelectMany(g => g.Frames);

    private static bool GarbageAfterEnd(HeapSpan span, int ptr)
    {
        var words = (int)span.ElemSize / ptr;
        var slots = span.Bits.Scan.Length / Math.Max(1, words);
        for (var j = 0; j < slots; j++)
        {
            var end = Enumerable.Range(0, words).FirstOrDefault(w => !span.Bits.Scan[(j * words) + w], words);
            if (Enumerable.Range(end, words - end).Any(w => span.Bits.Pointer[(j * words) + w]))
            {
                return true;
            }
        }

        return false;
    }

    private static bool GarbageAfterEndAnywhere(RuntimeState s) =>
        s.Spans.Any(x => x.State == SpanState.InUse && GarbageAfterEnd(x, s.Platform.PtrSize));

    private static bool FillsExactly(IEnumerable<int> dwrites)
    {
        var pending = 0;
        foreach (var len in dwrites)
        {
            if (pending + len == WriteCallSpecification.BufferSize)
            {
                return true;
            }

            pending = pending + len <= WriteCallSpecification.BufferSize ? pending + len : len >= WriteCallSpecification.BufferSize ? 0 : len;
        }

        return false;
    }
}
