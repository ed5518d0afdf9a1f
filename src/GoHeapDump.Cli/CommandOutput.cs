using System.Text;

namespace GoHeapDump.Cli;

/// <summary>Byte output for commands that write UTF-8 (JSONL) to the <see cref="TextWriter"/> they are given.</summary>
internal static class CommandOutput
{
    /// <summary>
    /// A stream that ends up in <paramref name="writer"/>: the process's stdout itself when the writer is the
    /// console (no decoding on the hot path), the writer's own stream for a <see cref="StreamWriter"/>, otherwise
    /// a stream that decodes UTF-8 into the writer (tests pass a <see cref="StringWriter"/>). Dispose it when done;
    /// that never closes the writer.
    /// </summary>
    public static Stream Open(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Flush();
        if (ReferenceEquals(writer, Console.Out))
        {
            return Console.OpenStandardOutput();
        }

        if (writer is StreamWriter { BaseStream.CanWrite: true } streamWriter && streamWriter.Encoding.CodePage == Encoding.UTF8.CodePage)
        {
            return new NonClosingStream(streamWriter.BaseStream);
        }

        return new TextWriterStream(writer);
    }

    /// <summary>Writes UTF-8 bytes to a <see cref="TextWriter"/> as text.</summary>
    private sealed class TextWriterStream(TextWriter writer) : Stream
    {
        private readonly Decoder _decoder = new UTF8Encoding(false, true).GetDecoder();
        private char[] _chars = new char[4096];

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            var needed = _decoder.GetCharCount(buffer, flush: false);
            if (_chars.Length < needed)
            {
                _chars = new char[Math.Max(needed, _chars.Length * 2)];
            }

            var n = _decoder.GetChars(buffer, _chars, flush: false);
            writer.Write(_chars, 0, n);
        }

        public override void Flush() => writer.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }

    /// <summary>Passes writes through and leaves the inner stream open on dispose.</summary>
    private sealed class NonClosingStream(Stream inner) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

        public override void Write(ReadOnlySpan<byte> buffer) => inner.Write(buffer);

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
