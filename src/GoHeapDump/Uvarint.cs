using System.Numerics;

namespace GoHeapDump;

/// <summary>Outcome of decoding a uvarint from a span.</summary>
public enum UvarintStatus
{
    /// <summary>A value was decoded.</summary>
    Ok,
    /// <summary>The span ended before the last byte (continuation bit still set).</summary>
    NeedMoreData,
    /// <summary>10 bytes with the continuation bit still set (rule S02).</summary>
    TooLong,
    /// <summary>The 10th byte is greater than 1 (rule S03).</summary>
    Overflow,
}

/// <summary>
/// Go's unsigned varint (encoding/binary PutUvarint/Uvarint): little-endian base-128 groups, high bit set on
/// every byte but the last. Go: runtime/heapdump.go dumpint writes the minimal form.
/// </summary>
public static class Uvarint
{
    /// <summary>Bytes in the minimal encoding of <paramref name="value"/> (1..10).</summary>
    public static int Length(ulong value) => value == 0 ? 1 : ((64 - BitOperations.LeadingZeroCount(value)) + 6) / 7;

    /// <summary>Writes the minimal encoding into <paramref name="destination"/>; returns the bytes written.</summary>
    /// <exception cref="ArgumentException">The destination is shorter than <see cref="Length"/>.</exception>
    public static int Write(Span<byte> destination, ulong value)
    {
        var needed = Length(value);
        if (destination.Length < needed)
        {
            throw new ArgumentException($"uvarint {value} needs {needed} bytes, destination has {destination.Length}", nameof(destination));
        }

        return WriteUnchecked(destination, value);
    }

    /// <summary>
    /// The one encoder of the suite: 7 bits at a time, high bit on every byte but the last (Go: heapdump.go
    /// dumpint). No length check: a short destination throws the span's IndexOutOfRangeException.
    /// </summary>
    internal static int WriteUnchecked(Span<byte> destination, ulong value)
    {
        var i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[i++] = (byte)value;
        return i;
    }

    /// <summary>
    /// Decodes one uvarint exactly as encoding/binary.Uvarint does: at most 10 bytes, the 10th at most 1,
    /// non-minimal encodings accepted. <paramref name="length"/> is the bytes consumed when Ok, and the
    /// index of the offending byte for TooLong/Overflow (always 9).
    /// </summary>
    public static UvarintStatus TryRead(ReadOnlySpan<byte> source, out ulong value, out int length)
    {
        ulong result = 0;
        var shift = 0;
        for (var i = 0; i < source.Length; i++)
        {
            var b = source[i];
            if (i == HeapDumpFormat.MaxUvarintLength - 1)
            {
                if (b >= 0x80)
                {
                    value = 0;
                    length = i;
                    return UvarintStatus.TooLong;
                }

                if (b > HeapDumpFormat.MaxLastUvarintByte)
                {
                    value = 0;
                    length = i;
                    return UvarintStatus.Overflow;
                }
            }

            if (b < 0x80)
            {
                value = result | ((ulong)b << shift);
                length = i + 1;
                return UvarintStatus.Ok;
            }

            result |= (ulong)(b & 0x7f) << shift;
            shift += 7;
        }

        value = 0;
        length = source.Length;
        return UvarintStatus.NeedMoreData;
    }

    /// <summary>True when a decoded uvarint of <paramref name="length"/> bytes is longer than <paramref name="value"/> needs (rule S10).</summary>
    public static bool IsNonMinimal(ulong value, int length) => length > Length(value);
}
