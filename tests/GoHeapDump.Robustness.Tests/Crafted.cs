using System.Text;

namespace GoHeapDump.Robustness.Tests;

/// <summary>
/// Builds crafted dumps byte by byte, with an encoder of its own: seven bits per byte, low group first; in
/// padded mode every uvarint takes the full 10 bytes (continuation bits on the first nine, bit 63 in the tenth),
/// the longest encoding Go's encoding/binary accepts.
/// </summary>
internal sealed class Crafted
{
    private readonly List<byte> _bytes = [];

    public Crafted(bool padded = false, string version = "go1.7")
    {
        Padded = padded;
        _bytes.AddRange(Encoding.ASCII.GetBytes(version + " heap dump\n"));
    }

    public bool Padded { get; }

    public int Length => _bytes.Count;

    public byte[] ToArray() => [.. _bytes];

    public Crafted U(ulong value)
    {
        if (Padded)
        {
            for (var i = 0; i < 9; i++)
            {
                _bytes.Add((byte)(0x80 | ((value >> (7 * i)) & 0x7f)));
            }

            _bytes.Add((byte)(value >> 63));
            return this;
        }

        while (value >= 0x80)
        {
            _bytes.Add((byte)(value | 0x80));
            value >>= 7;
        }

        _bytes.Add((byte)value);
        return this;
    }

    public Crafted Raw(params byte[] bytes)
    {
        _bytes.AddRange(bytes);
        return this;
    }

    public Crafted S(string text) => Bytes(Encoding.UTF8.GetBytes(text));

    public Crafted Bytes(byte[] bytes)
    {
        U((ulong)bytes.Length);
        _bytes.AddRange(bytes);
        return this;
    }

    /// <summary>A go1.7 params record for amd64 with the heap at 0xc000000000.</summary>
    public Crafted Params() => U(6).U(0).U(8).U(0xc000000000).U(0xc004000000).S("amd64").S("go1.19.8").U(4);

    public Crafted MemStats()
    {
        U(10);
        for (var i = 0; i < HeapDumpFormat.MemStatsValueCount; i++)
        {
            U((ulong)i);
        }

        return this;
    }
}
