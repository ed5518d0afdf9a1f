using GoHeapDump.Kaitai;

namespace GoHeapDump.Real.Tests.Infrastructure;

/// <summary>The suite's two parsers, by name, so one theory runs a check through each (they share no parsing code).</summary>
internal static class DumpReaders
{
    public const string Kaitai = "kaitai";
    public const string Fast = "fast";

    public static readonly string[] All = [Kaitai, Fast];

    /// <summary>Opens <paramref name="stream"/> (left open) with the named parser.</summary>
    public static IHeapDumpReader Open(string reader, Stream stream) => reader switch
    {
        Kaitai => KaitaiHeapDumpReader.Open(stream, leaveOpen: true),
        Fast => HeapDumpReader.Open(stream, leaveOpen: true),
        _ => throw new ArgumentException($"unknown reader \"{reader}\" (known: {string.Join(", ", All)})", nameof(reader)),
    };
}
