using System.IO.Compression;
using System.Text;

namespace GoHeapDump.Validation;

/// <summary>
/// Names the common wrong inputs handed to a heap dump tool: compressed files (and whether a heap dump is
/// inside), pprof profiles, ELF core files and executables, text profiles and goroutine dumps.
/// </summary>
public static class InputSniffer
{
    private const int SniffLength = 512;

    /// <summary>A one-line description of what the input is, or null when it is nothing we recognise.</summary>
    public static string? Describe(Stream input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var head = ReadUpTo(input, SniffLength);
        return Describe(head, () => input);
    }

    /// <summary>Describes the first bytes of an input; <paramref name="rest"/> reads on after them (for gzip).</summary>
    public static string? Describe(ReadOnlySpan<byte> head, Func<Stream>? rest = null)
    {
        if (head.IsEmpty)
        {
            return "an empty file (the smallest heap dump is 17 bytes: the header and the EOF record)";
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0x1f, 0x8b]))
        {
            return DescribeGzip(head.ToArray(), rest);
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0x28, 0xb5, 0x2f, 0xfd]))
        {
            return "a zstd-compressed file: decompress it first (zstd -d)";
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0xfd, (byte)'7', (byte)'z', (byte)'X', (byte)'Z', 0x00]))
        {
            return "an xz-compressed file: decompress it first (xz -d)";
        }

        if (head.StartsWith("BZh"u8))
        {
            return "a bzip2-compressed file: decompress it first (bunzip2)";
        }

        if (head.StartsWith("PK\u0003\u0004"u8))
        {
            return "a zip archive: extract the dump first";
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0x7f, (byte)'E', (byte)'L', (byte)'F']))
        {
            return DescribeElf(head);
        }

        if (head.StartsWith("heap profile:"u8))
        {
            return "a legacy text heap profile (pprof debug=1 output), not a heap dump: heap dumps come from runtime/debug.WriteHeapDump";
        }

        if (head.StartsWith("goroutine profile:"u8) || head.StartsWith("goroutine "u8))
        {
            return "a goroutine profile or stack trace (text), not a heap dump: heap dumps come from runtime/debug.WriteHeapDump";
        }

        if (LooksLikeProfileProto(head))
        {
            return "an uncompressed pprof profile (protocol buffer), not a heap dump: heap dumps come from runtime/debug.WriteHeapDump";
        }

        return null;
    }

    private static string DescribeGzip(byte[] head, Func<Stream>? rest)
    {
        byte[] inner;
        try
        {
            using var source = rest is null ? new MemoryStream(head) : Concat(head, rest());
            using var gzip = new GZipStream(source, CompressionMode.Decompress);
            inner = ReadUpTo(gzip, 64);
        }
        catch (InvalidDataException)
        {
            return "a gzip-compressed file (damaged)";
        }
        catch (IOException)
        {
            return "a gzip-compressed file";
        }

        var innerHead = inner.AsSpan();
        if (innerHead.StartsWith("go1."u8) && innerHead.Length >= 16 && innerHead[5..16].SequenceEqual(" heap dump\n"u8))
        {
            return "a gzip-compressed heap dump: decompress it first (gunzip)";
        }

        if (LooksLikeProfileProto(innerHead))
        {
            return "a pprof profile (gzip-compressed protocol buffer, from runtime/pprof or net/http/pprof), not a heap dump: heap dumps come from runtime/debug.WriteHeapDump";
        }

        return "a gzip-compressed file that does not contain a heap dump";
    }

    private static MemoryStream Concat(byte[] head, Stream stream)
    {
        // The sniffed stream is positioned after the head: put the head back in front of what follows (64 KiB is plenty for 64 bytes out).
        var more = ReadUpTo(stream, 64 * 1024);
        var all = new byte[head.Length + more.Length];
        head.CopyTo(all, 0);
        more.CopyTo(all, head.Length);
        return new MemoryStream(all);
    }

    private static string DescribeElf(ReadOnlySpan<byte> head)
    {
        if (head.Length < 18)
        {
            return "an ELF file, not a heap dump";
        }

        // e_type at offset 16, in the file's byte order (EI_DATA at 5: 1 little, 2 big).
        var type = head[5] == 2 ? (head[16] << 8) | head[17] : head[16] | (head[17] << 8);
        return type switch
        {
            4 => "an ELF core file (a process core dump), not a Go heap dump: write one with runtime/debug.WriteHeapDump, or read the core with a debugger (dlv core, viewcore)",
            2 or 3 => "an ELF executable or shared library, not a heap dump",
            1 => "an ELF object file, not a heap dump",
            _ => "an ELF file, not a heap dump",
        };
    }

    /// <summary>
    /// A profile.proto message starts with field 1 (sample_type, a ValueType message: tag 0x0a) whose
    /// first field is again a small varint (type string index, tag 0x08).
    /// </summary>
    private static bool LooksLikeProfileProto(ReadOnlySpan<byte> head) =>
        head.Length >= 4 && head[0] == 0x0a && head[1] < 0x80 && head[2] == 0x08;

    private static byte[] ReadUpTo(Stream stream, int count)
    {
        var buffer = new byte[count];
        var total = 0;
        while (total < count)
        {
            var n = stream.Read(buffer, total, count - total);
            if (n == 0)
            {
                break;
            }

            total += n;
        }

        return buffer.AsSpan(0, total).ToArray();
    }

    /// <summary>Text for a byte string in messages.</summary>
    internal static string Printable(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder();
        foreach (var b in bytes)
        {
            text.Append(b is >= 0x20 and < 0x7f ? (char)b : '.');
        }

        return text.ToString();
    }
}
