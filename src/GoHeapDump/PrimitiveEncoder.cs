namespace GoHeapDump;

/// <summary>
/// Encoders for the format's primitives into a span: uvarint, bool, string, field list. Shared by the
/// reference writer (which feeds them one runtime <c>dwrite</c> at a time) and the record-level writer.
/// Every method returns the number of bytes written; the <c>…Length</c> methods say how many a value needs.
/// </summary>
/// <remarks>Go: runtime/heapdump.go dumpint, dumpbool, dumpstr/dumpmemrange, dumpfields. The runtime always
/// writes minimal uvarints, and so do these.</remarks>
public static class PrimitiveEncoder
{
    /// <summary>Bytes in the minimal uvarint encoding of <paramref name="value"/> (1..10).</summary>
    public static int UvarintLength(ulong value) => Uvarint.Length(value);

    /// <summary>Writes the minimal uvarint encoding of <paramref name="value"/>.</summary>
    /// <exception cref="IndexOutOfRangeException">The destination is shorter than <see cref="UvarintLength"/>.</exception>
    public static int WriteUvarint(Span<byte> destination, ulong value) => Uvarint.WriteUnchecked(destination, value);

    /// <summary>Writes a bool: the uvarint 1 or 0. Go: dumpbool.</summary>
    public static int WriteBool(Span<byte> destination, bool value)
    {
        destination[0] = value ? (byte)1 : (byte)0;
        return 1;
    }

    /// <summary>Bytes a string of <paramref name="byteCount"/> bytes needs: its uvarint length, then the bytes.</summary>
    public static int StringLength(int byteCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(byteCount);
        return UvarintLength((ulong)byteCount) + byteCount;
    }

    /// <summary>Writes a string (also memory contents): uvarint length, then the bytes. Go: dumpstr, dumpmemrange, dumpslice.</summary>
    public static int WriteString(Span<byte> destination, ReadOnlySpan<byte> value)
    {
        var n = WriteUvarint(destination, (ulong)value.Length);
        value.CopyTo(destination[n..]);
        return n + value.Length;
    }

    /// <summary>Bytes one field-list entry needs: kind, then offset.</summary>
    public static int FieldLength(FieldKind kind, ulong offset) => UvarintLength((ulong)kind) + UvarintLength(offset);

    /// <summary>Writes one field-list entry: kind, then offset. Go: dumpbv's loop body.</summary>
    /// <exception cref="ArgumentException"><paramref name="kind"/> is <see cref="FieldKind.Eol"/>, which has no offset.</exception>
    public static int WriteField(Span<byte> destination, FieldKind kind, ulong offset)
    {
        if (kind == FieldKind.Eol)
        {
            throw new ArgumentException("an end-of-list marker is not a field; use WriteFieldListEnd", nameof(kind));
        }

        var n = WriteUvarint(destination, (ulong)kind);
        return n + WriteUvarint(destination[n..], offset);
    }

    /// <summary>Writes the end-of-list marker (kind 0, no offset). Go: dumpint(fieldKindEol).</summary>
    public static int WriteFieldListEnd(Span<byte> destination)
    {
        destination[0] = (byte)FieldKind.Eol;
        return 1;
    }

    /// <summary>Bytes a whole field list needs: every entry, then the end marker.</summary>
    public static int FieldListLength(ReadOnlySpan<Field> fields)
    {
        var n = 1;
        foreach (var field in fields)
        {
            n += FieldLength(field.Kind, field.Offset);
        }

        return n;
    }

    /// <summary>Writes a whole field list: every entry, then the end marker. Go: dumpfields.</summary>
    /// <exception cref="ArgumentException">A field has kind <see cref="FieldKind.Eol"/>.</exception>
    public static int WriteFieldList(Span<byte> destination, ReadOnlySpan<Field> fields)
    {
        var n = 0;
        foreach (var field in fields)
        {
            n += WriteField(destination[n..], field.Kind, field.Offset);
        }

        return n + WriteFieldListEnd(destination[n..]);
    }
}
