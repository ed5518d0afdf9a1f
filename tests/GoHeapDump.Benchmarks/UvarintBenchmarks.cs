using BenchmarkDotNet.Attributes;

namespace GoHeapDump.Benchmarks;

/// <summary>Cost of the core uvarint primitives on a realistic mix (small tags and lengths, large addresses).</summary>
[MemoryDiagnoser]
public class UvarintBenchmarks
{
    private readonly byte[] _encoded = new byte[1 << 16];
    private int _encodedLength;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        var at = 0;
        while (at < _encoded.Length - 10)
        {
            ulong value = (random.Next(4)) switch
            {
                0 => (ulong)random.Next(18),
                1 => (ulong)random.Next(4096),
                _ => 0xc000000000UL + (ulong)random.NextInt64(1L << 32),
            };
            at += Uvarint.Write(_encoded.AsSpan(at), value);
        }

        _encodedLength = at;
    }

    [Benchmark]
    public ulong Decode()
    {
        ulong sum = 0;
        var span = _encoded.AsSpan(0, _encodedLength);
        while (Uvarint.TryRead(span, out var value, out var length) == UvarintStatus.Ok)
        {
            sum += value;
            span = span[length..];
        }

        return sum;
    }
}
