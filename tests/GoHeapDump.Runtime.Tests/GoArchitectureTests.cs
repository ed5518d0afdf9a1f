namespace GoHeapDump.Runtime.Tests;

/// <summary>The runtime model takes pointer size and byte order from the core's <see cref="GoArchTraits"/> (one table for
/// the model, inspect and the validator): every modelled architecture resolves, with the values Go's goarch package
/// gives (internal/goarch zgoarch_*.go: PtrSize, BigEndian).</summary>
public class GoArchitectureTests
{
    [Theory]
    [InlineData("amd64", 8, false)]
    [InlineData("386", 4, false)]
    [InlineData("arm", 4, false)]
    [InlineData("mips", 4, true)]
    [InlineData("mips64le", 8, false)]
    [InlineData("s390x", 8, true)]
    [InlineData("wasm", 8, false)]
    public void ModelledArchitecture_HasGoarchsPointerSizeAndByteOrder(string goarch, int ptrSize, bool bigEndian)
    {
        var arch = GoArchitecture.Get(goarch);

        Assert.Equal((ptrSize, bigEndian), (arch.PtrSize, arch.BigEndian));
    }

    [Fact]
    public void EveryModelledArchitecture_IsInTheCoreTable() =>
        Assert.All(GoArchitecture.All, a => Assert.NotNull(GoArchTraits.Find(a.Name)));
}
