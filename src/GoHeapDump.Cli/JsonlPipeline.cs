using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace GoHeapDump.Cli;

/// <summary>
/// The records of a dump rendered as canonical JSONL on every core: this thread reads records in batches, the thread
/// pool renders the batches, and this thread writes them in order. The bytes are those of rendering one record after
/// the other (the lines do not depend on each other). Rendering was three quarters of <c>goheapdump parse</c> with the
/// fast reader: on 2 cores reading and rendering now overlap, and rendering itself runs twice over.
/// </summary>
internal static class JsonlPipeline
{
    /// <summary>Dump bytes per batch: large enough that a batch outweighs its task, small enough to keep memory flat.</summary>
    private const long BatchBytes = 512 * 1024;

    /// <summary>Most records per batch (a batch of tiny records still renders to a few MB at most).</summary>
    private const int BatchRecords = 8192;

    /// <summary>
    /// Writes every record <paramref name="reader"/> yields to <paramref name="output"/>, in order. Returns the format
    /// error that ended the input (every record before it written), or null when the dump was read to its end. Any other
    /// exception of the reader is rethrown once the records before it are written, as the one-by-one loop would.
    /// </summary>
    public static HeapDumpFormatException? Write(IHeapDumpReader reader, Stream output)
    {
        var inFlight = (2 * Environment.ProcessorCount) + 1;
        var pending = new Queue<Task<Renderer>>();
        var renderers = new ConcurrentBag<Renderer>();
        ExceptionDispatchInfo? failure = null;
        try
        {
            var done = false;
            while (!done)
            {
                var batch = new List<HeapDumpRecord>();
                var start = reader.Position;
                try
                {
                    while (batch.Count < BatchRecords && reader.Position - start < BatchBytes)
                    {
                        if (reader.Read() is not { } record)
                        {
                            done = true;
                            break;
                        }

                        batch.Add(record);
                    }
                }
                catch (Exception e)
                {
                    failure = ExceptionDispatchInfo.Capture(e);
                    done = true;
                }

                if (batch.Count > 0)
                {
                    pending.Enqueue(Task.Run(() => Render(batch, renderers)));
                }

                // Write what is ready; wait for the oldest batch when enough are in flight, and for all at the end.
                while (pending.Count > 0 && (done || pending.Count >= inFlight || pending.Peek().IsCompleted))
                {
                    var renderer = pending.Dequeue().GetAwaiter().GetResult();
                    renderer.CopyTo(output);
                    if (renderer.Retainable)
                    {
                        renderers.Add(renderer);
                    }
                    else
                    {
                        renderer.Dispose();
                    }
                }
            }
        }
        finally
        {
            // An output error leaves batches rendering: let them end before the reader they came from is disposed.
            foreach (var task in pending)
            {
                try
                {
                    task.Wait();
                    renderers.Add(task.Result);
                }
                catch (AggregateException)
                {
                    // Rendering failed too; the output error is the one to report.
                }
            }

            foreach (var renderer in renderers)
            {
                renderer.Dispose();
            }
        }

        if (failure?.SourceException is HeapDumpFormatException formatError)
        {
            return formatError;
        }

        failure?.Throw();
        return null;
    }

    private static Renderer Render(List<HeapDumpRecord> batch, ConcurrentBag<Renderer> renderers)
    {
        var renderer = renderers.TryTake(out var reused) ? reused : new Renderer();
        renderer.Render(batch);
        return renderer;
    }

    /// <summary>A JSONL writer over a reusable memory buffer; one batch at a time.</summary>
    private sealed class Renderer : IDisposable
    {
        private readonly MemoryStream _buffer = new();
        private readonly CanonicalJsonlWriter _jsonl;

        public Renderer() => _jsonl = new CanonicalJsonlWriter(_buffer, leaveOpen: true);

        public void Render(List<HeapDumpRecord> batch)
        {
            _buffer.SetLength(0);
            foreach (var record in batch)
            {
                _jsonl.WriteRecord(record);
            }

            _jsonl.Flush();
        }

        public void CopyTo(Stream output) => output.Write(_buffer.GetBuffer(), 0, (int)_buffer.Length);

        /// <summary>False once a batch with a huge record grew the buffer: reusing it would keep that memory.</summary>
        public bool Retainable => _buffer.Capacity <= 16 << 20;

        public void Dispose()
        {
            _jsonl.Dispose();
            _buffer.Dispose();
        }
    }
}
