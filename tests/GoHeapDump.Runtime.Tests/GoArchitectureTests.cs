namespace GoHeapDump.Runtime.Tests;

/// <summary>The runtime model's architecture table and the core's <see cref="GoArchTraits"/> (what inspect and the
/// validator read a params record against) state pointer size and byte order separately; they must agree.</summary>
public class GoArchitectureTests
{
    [Fact]
    public void EveryModelledArchitecture_AgreesWithTheCoreTraits()
    {
        foreach (var arch in GoArchitecture.All)
        {
            var traits = GoArchTraits.Find(arch.Name);
            Assert.True(traits is not null, $"{arch.Name} is not in GoArchTraits");
            Assert.Equal((arch.PtrSize, arch.BigEndian), (traits.PtrSize, traits.BigEndian));
        }
    }
}
