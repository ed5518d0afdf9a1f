using FsCheck;
using FsCheck.Fluent;
using GoHeapDump.Properties.Tests.Generators;
using GoHeapDump.Reference;
using GoHeapDump.Runtime;
using GoHeapDump.Validation;

namespace GoHeapDump.Properties.Tests.Properties;

/// <summary>
/// What the model accepts, the validator accepts: the writer's dump of a realistic state (StateBuilder, any
/// seed and GOARCH) gets no diagnostic at all under the strict profile, also when some goroutines stopped at
/// a nil call (traceback pc 0), whose frame 0 the runtime starts one word above sp on 386, amd64 and wasm
/// (Go: runtime/traceback.go gentraceback, "if frame.pc == 0"; rule R04).
/// </summary>
public sealed class ValidatorAcceptsModelProperties
{
    private const int QuickCases = 25;

    /// <summary>A realistic state and which of its goroutines get traceback pc 0.</summary>
    public sealed record RealisticCase(ulong Seed, int Objects, string Arch, int NilCallEvery)
    {
        public override string ToString() =>
            $"StateBuilder.Build(seed: {Seed}, objects: {Objects}, goarch: \"{Arch}\"), traceback pc 0 on every {NilCallEvery}th goroutine with frames";
    }

    [Fact]
    public void RealisticState_WithNilCallGoroutines_ValidatesClean() =>
        PropertyRunner.Check(nameof(RealisticState_WithNilCallGoroutines_ValidatesClean), Cases(), ValidatesClean, QuickCases);

    private static Arbitrary<RealisticCase> Cases() => Arb.From(
        from seed in Gen.Choose(0, int.MaxValue)
        from objects in Gen.Choose(0, 300)
        from arch in Gen.Elements(GoArchitecture.Names.ToArray())
        from every in Gen.Choose(1, 3)
        select new RealisticCase((ulong)seed, objects, arch, every));

    private static void ValidatesClean(RealisticCase c)
    {
        var state = WithNilCalls(StateBuilder.Build(c.Seed, c.Objects, c.Arch), c.NilCallEvery); // RuntimeState.With validates the model
        var dump = HeapDumpWriter.ToBytes(state);
        var report = HeapDumpValidator.Validate(new MemoryStream(dump), c.ToString(), new ValidationOptions { Profile = ValidationProfile.Strict });
        if (report.Diagnostics.Count != 0)
        {
            throw new InvalidOperationException($"the model accepts the state, the validator reports:\n{string.Join("\n", report.Diagnostics)}");
        }
    }

    /// <summary>
    /// Sets the traceback pc of every <paramref name="every"/>th goroutine with frames to 0 and, where the
    /// runtime then starts frame 0 one word higher, moves the goroutine's sp one word below that frame.
    /// </summary>
    private static RuntimeState WithNilCalls(RuntimeState state, int every)
    {
        var ptr = (ulong)state.Platform.PtrSize;
        var n = 0;
        var goroutines = state.Goroutines.Select(g =>
        {
            if (g.Frames.IsEmpty || n++ % every != 0)
            {
                return g;
            }

            var nilCall = g.SyscallSp != 0 ? g with { SyscallPc = 0 } : g with { SchedPc = 0 };
            if (StateGenerator.FirstFrameSp(state.Platform, nilCall) == nilCall.TracebackSp)
            {
                return nilCall;
            }

            var sp = g.Frames[0].Sp - ptr;
            return g.SyscallSp != 0 ? nilCall with { SyscallSp = sp } : nilCall with { SchedSp = sp };
        }).ToList();
        return state.With(goroutines: goroutines);
    }
}
