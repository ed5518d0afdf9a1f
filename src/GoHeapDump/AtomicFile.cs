using System.Globalization;

namespace GoHeapDump;

/// <summary>
/// Writes a file through a temporary name in the same directory, moved into place when complete, so that an
/// interrupted or failing run leaves the previous file as it was. Used for every file the suite writes
/// (generated dumps, validation reports).
/// </summary>
/// <remarks>
/// The temporary file is <c>.NAME.PID.RANDOM.tmp</c> beside the target. A failure deletes it; a killed process
/// cannot, so the next write to the same target deletes the temporaries of processes that no longer run.
/// </remarks>
public static class AtomicFile
{
    /// <summary>
    /// Calls <paramref name="write"/> with a stream on a temporary file beside <paramref name="path"/>, then
    /// replaces <paramref name="path"/> with it. If <paramref name="write"/> throws, the temporary file is
    /// deleted, <paramref name="path"/> is untouched, and the exception propagates.
    /// </summary>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full) ?? ".";
        DeleteStaleTemporaries(directory, Path.GetFileName(full));
        var temp = Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp"));
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: false);
            }

            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>Temporaries of <paramref name="name"/> left by processes that were killed (their PID no longer runs).</summary>
    public static IReadOnlyList<string> StaleTemporaries(string directory, string name)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(name);
        var stale = new List<string>();
        if (!Directory.Exists(directory))
        {
            return stale;
        }

        var prefix = "." + name + ".";
        foreach (var file in Directory.EnumerateFiles(directory, "." + name + ".*.tmp"))
        {
            var parts = Path.GetFileName(file)[prefix.Length..].Split('.');
            if (parts.Length == 3 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && !IsRunning(pid))
            {
                stale.Add(file);
            }
        }

        return stale;
    }

    private static void DeleteStaleTemporaries(string directory, string name)
    {
        try
        {
            foreach (var file in StaleTemporaries(directory, name))
            {
                TryDelete(file);
            }
        }
        catch (IOException)
        {
            // Best effort: a directory that cannot be listed fails the write below with a clearer message.
        }
        catch (UnauthorizedAccessException)
        {
            // Best effort, as above.
        }
    }

    private static bool IsRunning(int pid)
    {
        if (pid == Environment.ProcessId)
        {
            return true;
        }

        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static void TryDelete(string temp)
    {
        try
        {
            File.Delete(temp);
        }
        catch (IOException)
        {
            // Best effort: the original exception matters more.
        }
        catch (UnauthorizedAccessException)
        {
            // Best effort, as above.
        }
    }
}
