namespace GoHeapDump.Contract.Tests;

/// <summary>The contract against the hand-written fast reader, with its default chunk size.</summary>
public sealed class FastReaderContractTests : ReaderContractTests
{
    protected override IHeapDumpReader Open(Stream input) => HeapDumpReader.Open(input);
}

/// <summary>The contract against the fast reader with the smallest buffer, so every record straddles a refill.</summary>
public sealed class FastReaderSmallBufferContractTests : ReaderContractTests
{
    protected override IHeapDumpReader Open(Stream input) => HeapDumpReader.Open(input, bufferSize: HeapDumpReader.MinimumBufferSize);
}
