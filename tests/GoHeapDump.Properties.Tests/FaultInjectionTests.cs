using GoHeapDump.Properties.Tests.Generators;
using GoHeapDump.Properties.Tests.Properties;
using GoHeapDump.Reference;

namespace GoHeapDump.Properties.Tests;

/// <summary>
/// Proof that the properties bite: with each deliberate bug of <see cref="WriterFaults"/> switched on in the
/// writer, the property that should notice it fails; with no fault the same runs pass. Fixed replay seeds make
/// the runs deterministic, so a property that stopped catching a bug fails here, always.
/// </summary>
public sealed class FaultInjectionTests
{
    private const string Seed = "(20240601,1234567)";
    private const int Cases = 200;

    public static TheoryData<string, string> Detections => new()
    {
        { nameof(WriterFaults.TypeCacheNoMoveToFront), nameof(WriterMatchesSpecificationProperties.ParseEqualsSpecification) },
        { nameof(WriterFaults.FreeSlotDumped), nameof(SemanticFactsProperties.EveryAllocatedSlotOnce) },
        { nameof(WriterFaults.FreeSlotDumped), nameof(WriterMatchesSpecificationProperties.ParseEqualsSpecification) },
        { nameof(WriterFaults.FrameDepthOffByOne), nameof(SemanticFactsProperties.GoroutineShape) },
        { nameof(WriterFaults.FrameDepthOffByOne), nameof(WriterMatchesSpecificationProperties.ParseEqualsSpecification) },
        { nameof(WriterFaults.MemStatsSwapped), nameof(WriterMatchesSpecificationProperties.ParseEqualsSpecification) },
        { nameof(WriterFaults.MemStatsSwapped), nameof(BufferingProperties.BufferedEqualsUnbuffered) },
        { nameof(WriterFaults.BufferBoundaryOffByOne), nameof(BufferingProperties.WriteCallsObeyTheRule) },
        { nameof(WriterFaults.TypePointersAsHeapBits), nameof(WriterMatchesSpecificationProperties.ParseEqualsSpecification) },
    };

    private static readonly Dictionary<string, Action<GeneratedState, WriterFaults>> Bodies = new()
    {
        [nameof(WriterMatchesSpecificationProperties.ParseEqualsSpecification)] = WriterMatchesSpecificationProperties.ParseEqualsSpecification,
        [nameof(SemanticFactsProperties.EveryAllocatedSlotOnce)] = SemanticFactsProperties.EveryAllocatedSlotOnce,
        [nameof(SemanticFactsProperties.GoroutineShape)] = SemanticFactsProperties.GoroutineShape,
        [nameof(BufferingProperties.BufferedEqualsUnbuffered)] = BufferingProperties.BufferedEqualsUnbuffered,
        [nameof(BufferingProperties.WriteCallsObeyTheRule)] = BufferingProperties.WriteCallsObeyTheRule,
    };

    [Theory]
    [MemberData(nameof(Detections))]
    public void Property_WithDeliberateBug_Fails(string fault, string property)
    {
        var faults = Enum.Parse<WriterFaults>(fault);
        var e = Assert.Throws<PropertyFailedException>(() => Run(property, faults));
        Assert.Contains("Replay:", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Detections))]
    public void Property_SameRunWithoutBug_Passes(string fault, string property)
    {
        _ = fault;
        Run(property, WriterFaults.None);
    }

    private static void Run(string property, WriterFaults faults) =>
        PropertyRunner.Check(property, HeapArbitraries.ValidStateUnshrunk(), g => Bodies[property](g, faults), Cases, replay: Seed, maxTest: Cases);
}
