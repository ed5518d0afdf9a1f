using GoHeapDump.Specification;

namespace GoHeapDump.Properties.Tests;

/// <summary>
/// The specification function shares no code with the reference writer: its assembly references the format
/// core and the runtime model only. The project file makes the compiler enforce it; this test catches a
/// reference added to that project file later.
/// </summary>
public sealed class SpecificationIndependenceTests
{
    [Fact]
    public void SpecificationAssembly_References_OnlyTheCoreAndTheModel()
    {
        var ours = typeof(DumpSpecification).Assembly.GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(n => n.StartsWith("GoHeapDump", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToArray();
        Assert.Equal(["GoHeapDump.Core", "GoHeapDump.Runtime"], ours);
    }

    [Fact]
    public void SpecificationAssembly_DefinesNoTypeNamedLikeTheWriters()
    {
        var names = typeof(DumpSpecification).Assembly.GetTypes().Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        Assert.DoesNotContain("HeapDumpWriter", names);
        Assert.DoesNotContain("DumpBuffer", names);
        Assert.DoesNotContain("RecordWriter", names);
    }

    [Fact]
    public void RuntimeModel_References_NoWriterOrParser()
    {
        var refs = typeof(GoHeapDump.Runtime.RuntimeState).Assembly.GetReferencedAssemblies().Select(a => a.Name).ToArray();
        Assert.DoesNotContain("GoHeapDump.Reference", refs);
        Assert.DoesNotContain("GoHeapDump.Kaitai", refs);
    }
}
