using FsCheck;
using FsCheck.Fluent;
using GoHeapDump.Runtime;

namespace GoHeapDump.Properties.Tests.Generators;

/// <summary>
/// A generated state with where it came from. Printed by FsCheck on failure: how to rebuild the original
/// state outside FsCheck, then the (shrunk) state itself in the model's readable form.
/// </summary>
/// <param name="State">The state (after shrinking, the shrunk one).</param>
/// <param name="Seed">The generator seed FsCheck drew.</param>
/// <param name="Size">FsCheck's size for this case.</param>
/// <param name="Kind">Valid or fatal.</param>
/// <param name="Shrinks">How many shrink steps led from the generated state to this one.</param>
public sealed record GeneratedState(RuntimeState State, ulong Seed, int Size, StateKind Kind, int Shrinks)
{
    public override string ToString() =>
        $"StateGenerator.Build(seed: 0x{Seed:x}, size: {Size}, StateKind.{Kind})" +
        (Shrinks == 0 ? "" : $", then {Shrinks} shrink steps (removing parts); the shrunk state:") +
        Environment.NewLine + State;
}

/// <summary>FsCheck arbitraries for runtime states: generation by <see cref="StateGenerator"/>, shrinking by <see cref="StateShrinker"/>.</summary>
public static class HeapArbitraries
{
    /// <summary>States the runtime dumps completely.</summary>
    public static Arbitrary<GeneratedState> ValidState() => Arb.From(States(StateKind.Valid), Shrink);

    /// <summary>Valid models on which the runtime's dump dies.</summary>
    public static Arbitrary<GeneratedState> FatalState() => Arb.From(States(StateKind.Fatal), Shrink);

    /// <summary>Valid states without shrinking: for runs that only need to know whether a property fails.</summary>
    public static Arbitrary<GeneratedState> ValidStateUnshrunk() => Arb.From(States(StateKind.Valid));

    /// <summary>Valid and fatal states, mostly valid.</summary>
    public static Arbitrary<GeneratedState> AnyState() =>
        Arb.From(Gen.Frequency((4, States(StateKind.Valid)), (1, States(StateKind.Fatal))), Shrink);

    private static Gen<GeneratedState> States(StateKind kind) =>
        Gen.Sized(size =>
            from hi in Gen.Choose(0, int.MaxValue)
            from lo in Gen.Choose(0, int.MaxValue)
            let seed = ((ulong)hi << 32) ^ (ulong)lo
            select new GeneratedState(StateGenerator.Build(seed, size, kind), seed, size, kind, 0));

    private static IEnumerable<GeneratedState> Shrink(GeneratedState g) =>
        StateShrinker.Shrink(g.State).Select(s => g with { State = s, Shrinks = g.Shrinks + 1 });
}
