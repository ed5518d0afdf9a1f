using System.Buffers;

namespace GoHeapDump.Reference;

/// <summary>
/// The record-level writer: any list of <see cref="HeapDumpRecord"/>s to bytes, under any header variant.
/// For fixtures and mutations, so it writes what it is given: records in any order or kind (otherroot,
/// legacy iface/eface field kinds, a thechar params record under a go1.7 header, no EOF…). Each record's fields
/// come from <see cref="RecordFields.Walk"/> (shared with the fixtures' layout and canonical JSONL); it shares only
/// the primitive encoders (<see cref="PrimitiveEncoder"/>) with the reference writer.
/// </summary>
public static class RecordWriter
{
    /// <summary>The header, then every record, as bytes.</summary>
    /// <exception cref="ArgumentException">A record cannot be encoded (params with both or neither of arch and thechar; an Eol field in a field list).</exception>
    public static byte[] ToBytes(HeaderVersion version, IEnumerable<HeapDumpRecord> records)
    {
        using var ms = new MemoryStream();
        Write(ms, version, records);
        return ms.ToArray();
    }

    /// <summary>Writes the header, then every record, to <paramref name="destination"/>.</summary>
    /// <exception cref="ArgumentException">A record cannot be encoded.</exception>
    public static void Write(Stream destination, HeaderVersion version, IEnumerable<HeapDumpRecord> records)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(records);
        destination.Write(HeapDumpFormat.HeaderBytes(version));
        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            foreach (var record in records)
            {
                var length = GetEncodedLength(record);
                if (length > buffer.Length)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = ArrayPool<byte>.Shared.Rent(length);
                }

                var written = Encode(record, buffer);
                destination.Write(buffer, 0, written);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The bytes of one record (tag first).</summary>
    public static byte[] Encode(HeapDumpRecord record)
    {
        var bytes = new byte[GetEncodedLength(record)];
        Encode(record, bytes);
        return bytes;
    }

    /// <summary>Bytes <paramref name="record"/> encodes to.</summary>
    public static int GetEncodedLength(HeapDumpRecord record)
    {
        var e = new Emitter(default, measure: true);
        Emit(ref e, record);
        return e.Length;
    }

    /// <summary>Encodes <paramref name="record"/> into <paramref name="destination"/>; returns the bytes written.</summary>
    /// <exception cref="ArgumentException">The destination is too short, or the record cannot be encoded.</exception>
    public static int Encode(HeapDumpRecord record, Span<byte> destination)
    {
        var length = GetEncodedLength(record);
        if (destination.Length < length)
        {
            throw new ArgumentException($"the record needs {length} bytes, the destination has {destination.Length}", nameof(destination));
        }

        var e = new Emitter(destination, measure: false);
        Emit(ref e, record);
        return e.Length;
    }

    private static void Emit(ref Emitter e, HeapDumpRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record is ParamsRecord { Arch: null, TheChar: null } or ParamsRecord { Arch: not null, TheChar: not null })
        {
            throw new ArgumentException("a params record has exactly one of Arch (go1.7) and TheChar (go1.5/go1.6)", nameof(record));
        }

        RecordFields.Walk(record, ref e);
    }

    /// <summary>The bytes mode of <see cref="RecordFields.Walk"/>: either measures or writes, so that one description
    /// of each record serves both. Field names are the layout's and JSONL's business; the wire has none.</summary>
    private ref struct Emitter(Span<byte> destination, bool measure) : IRecordFieldVisitor
    {
        private readonly Span<byte> _dst = destination;
        private readonly bool _measure = measure;

        public int Length { get; private set; }

        public void Tag(RecordKind kind) => Uvarint((ulong)kind);

        public void Uvarint(string name, ulong value) => Uvarint(value);

        public void Bool(string name, bool value) => Length += _measure ? 1 : PrimitiveEncoder.WriteBool(_dst[Length..], value);

        public void Bytes(string name, GoString value) => String(value.Span);

        public void Text(string name, GoString value) => String(value.Span);

        public void FieldList(EquatableArray<Field> fields) => Length += _measure
            ? CheckedFieldListLength(fields.AsSpan())
            : PrimitiveEncoder.WriteFieldList(_dst[Length..], fields.AsSpan());

        public void UvarintArray(string name, EquatableArray<ulong> values)
        {
            foreach (var v in values.AsSpan())
            {
                Uvarint(v);
            }
        }

        public void BeginList(string countName, string name, int count) => Uvarint((ulong)count);

        public readonly void BeginItem(int index)
        {
        }

        public readonly void EndItem()
        {
        }

        public readonly void EndList()
        {
        }

        private void Uvarint(ulong value) => Length += _measure
            ? PrimitiveEncoder.UvarintLength(value)
            : PrimitiveEncoder.WriteUvarint(_dst[Length..], value);

        private void String(ReadOnlySpan<byte> value) => Length += _measure
            ? PrimitiveEncoder.StringLength(value.Length)
            : PrimitiveEncoder.WriteString(_dst[Length..], value);

        private static int CheckedFieldListLength(ReadOnlySpan<Field> fields)
        {
            foreach (var f in fields)
            {
                if (f.Kind == FieldKind.Eol)
                {
                    throw new ArgumentException("a field list holds no Eol entry; the writer adds the end marker");
                }
            }

            return PrimitiveEncoder.FieldListLength(fields);
        }
    }
}
