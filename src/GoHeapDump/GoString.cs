using System.Text;

namespace GoHeapDump;

/// <summary>
/// A Go string as the dump stores it: a length and that many bytes, not necessarily UTF-8.
/// Value semantics: two GoStrings are equal when their bytes are.
/// </summary>
public readonly struct GoString : IEquatable<GoString>
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly byte[]? _bytes;

    /// <summary>Wraps bytes without copying; the caller gives up the array.</summary>
    public GoString(byte[] bytes) => _bytes = bytes ?? throw new ArgumentNullException(nameof(bytes));

    /// <summary>The empty string.</summary>
    public static GoString Empty => default;

    /// <summary>The bytes of the string.</summary>
    public ReadOnlySpan<byte> Span => _bytes;

    /// <summary>The bytes as memory.</summary>
    public ReadOnlyMemory<byte> Memory => _bytes;

    /// <summary>Number of bytes.</summary>
    public int Length => _bytes?.Length ?? 0;

    /// <summary>True when the bytes are well-formed UTF-8 (names almost always are).</summary>
    public bool IsValidUtf8 => System.Text.Unicode.Utf8.IsValid(Span);

    /// <summary>A GoString holding the UTF-8 encoding of <paramref name="text"/>.</summary>
    public static GoString FromText(string text) => new(Encoding.UTF8.GetBytes(text));

    /// <summary>A GoString holding a copy of <paramref name="bytes"/>.</summary>
    public static GoString Copy(ReadOnlySpan<byte> bytes) => bytes.IsEmpty ? Empty : new(bytes.ToArray());

    /// <summary>Decodes as UTF-8; returns false when the bytes are not valid UTF-8.</summary>
    public bool TryGetText(out string text)
    {
        try
        {
            text = StrictUtf8.GetString(Span);
            return true;
        }
        catch (DecoderFallbackException)
        {
            text = "";
            return false;
        }
    }

    /// <summary>The text (invalid UTF-8 sequences replaced by U+FFFD). For display only.</summary>
    public override string ToString() => Encoding.UTF8.GetString(Span);

    public bool Equals(GoString other) => Span.SequenceEqual(other.Span);

    public override bool Equals(object? obj) => obj is GoString other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(Span);
        return hash.ToHashCode();
    }

    public static bool operator ==(GoString left, GoString right) => left.Equals(right);

    public static bool operator !=(GoString left, GoString right) => !left.Equals(right);

    public static implicit operator GoString(string text) => FromText(text);

    /// <summary>Named alternative to the implicit conversion (CA2225).</summary>
    public static GoString ToGoString(string text) => FromText(text);
}
