namespace GoHeapDump.Contract.Tests;

/// <summary>The contract against the Kaitai parser (generated from spec/go_heapdump.ksy, with our runtime and adapter).</summary>
public sealed class KaitaiReaderContractTests : ReaderContractTests
{
    protected override IHeapDumpReader Open(Stream input) => Kaitai.KaitaiHeapDumpReader.Open(input);
}
