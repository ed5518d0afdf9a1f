using System.Diagnostics;

namespace GoHeapDump.Validation;

/// <summary>
/// Validates dumps against the whole rule catalogue in one streaming pass over the fast reader's record
/// views. Never throws on bad input: every violation is a <see cref="Diagnostic"/>; a structure error
/// (S01–S09) ends the file's validation. I/O errors propagate.
/// </summary>
/// <remarks>
/// Memory: the reader's buffer (1 MiB, or the largest record; two readers when a file is split, below); the objects as runs of adjacent objects, 16
/// bytes per run (so at most 16 bytes per object) plus one 1 MiB chunk while they are sorted; and for what
/// cross-record rules must remember: a hash set entry per distinct type, memprof bucket, OS thread and
/// goroutine, and 40 bytes per goroutine with an m, per finalizer and per alloc sample. Nothing else grows
/// with the file. <see cref="ValidationOptions.MaxMemory"/> caps those tables further.
/// <para>Threads, on a machine with two cores or more: a file of 32 MiB or more given to <see cref="ValidateFile"/> is split.
/// When its objects begin, a second thread opens the file again halfway through what is left, guesses a record
/// boundary there (16 object records decoding one after another), and decodes and checks the objects from there while
/// the calling thread does those before it; its findings count once the calling thread's reader reaches the guess as a
/// record boundary, and are dropped otherwise (FileValidation.Split). Other inputs are read ahead on a second thread when
/// they are seekable and a few MiB long (see <see cref="HeapDumpReader.Open(Stream, bool, int)"/>), and once a dump has a
/// full batch of objects (8192), the rules of each object that need no record view (V03, V12, V14, V15) and the object
/// table run on another while the calling thread decodes the next records. The report is the same as a single thread's
/// either way; the callbacks (<see cref="ValidationOptions.Progress"/>) are made on the calling thread.</para>
/// </remarks>
public static class HeapDumpValidator
{
    /// <summary>Validates a file.</summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static ValidationReport ValidateFile(string path, ValidationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var stream = OpenFile(path);
        return Validate(stream, path, options, () => OpenFile(path), () => OpenFile(path));
    }

    /// <summary>Validates a stream positioned at the header.</summary>
    /// <param name="stream">The input.</param>
    /// <param name="name">Name for the report.</param>
    /// <param name="options">Profile, caps, progress.</param>
    /// <param name="reopen">Opens the same input again from the start, for the second pass that locates
    /// overlapping objects; null when the input can be read only once (those diagnostics then have no offset).</param>
    public static ValidationReport Validate(Stream stream, string name, ValidationOptions? options = null, Func<Stream>? reopen = null) =>
        Validate(stream, name, options, reopen, openAgain: null);

    /// <summary>As the public overload; <paramref name="openAgain"/> opens the file again, for a second core to read its later half (FileValidation.Split).</summary>
    private static ValidationReport Validate(Stream stream, string name, ValidationOptions? options, Func<Stream>? reopen, Func<Stream>? openAgain)
    {
        ArgumentNullException.ThrowIfNull(stream);
        options ??= new ValidationOptions();
        var start = stream.CanSeek ? stream.Position : -1;
        reopen ??= stream.CanSeek ? () => new ReopenedStream(stream, start) : null;
        var clock = Stopwatch.StartNew();
        var run = new FileValidation(name, options);
        run.Run(stream, reopen, openAgain);
        if (options.CrossCheckWith is { } other && reopen is not null && run.Report.WrongInput is null)
        {
            run.Report.CrossCheckDisagreements = CrossCheck.Compare(
                new CrossCheck.Parser("fast reader", s => HeapDumpReader.Open(s, leaveOpen: false, options.BufferSize)), other, reopen,
                10, out var incomplete);
            run.Report.CrossCheckIncomplete = incomplete;
        }

        run.Report.Elapsed = clock.Elapsed;
        return run.Report;
    }

    private static FileStream OpenFile(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);

    /// <summary>The original seekable stream, rewound, without closing it on dispose.</summary>
    private sealed class ReopenedStream(Stream inner, long start) : Stream
    {
        private bool _positioned;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (!_positioned)
            {
                inner.Position = start;
                _positioned = true;
            }

            return inner.Read(buffer, offset, count);
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
