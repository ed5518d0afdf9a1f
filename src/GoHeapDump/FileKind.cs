using System.Runtime.InteropServices;

namespace GoHeapDump;

/// <summary>
/// What kind of file a path names, which .NET does not say: on Unix, <see cref="FileSystemInfo.Attributes"/> reports
/// a device or a named pipe as <see cref="FileAttributes.Normal"/>, like a regular file.
/// </summary>
internal static class FileKind
{
    /// <summary>AT_FDCWD: a relative path of a libc *at() call is taken from the current directory (also AtomicFile's renameat2).</summary>
    internal const int AtCurrentDirectory = -100;
    private const uint StatxType = 0x1; // STATX_TYPE
    private const int StatxModeOffset = 28; // struct statx: stx_mode, the same on every architecture
    private const int TypeMask = 0xF000; // S_IFMT
    private const int RegularFile = 0x8000; // S_IFREG
    private const int Directory = 0x4000; // S_IFDIR

    /// <summary>
    /// Whether <paramref name="path"/> (symbolic links followed) exists and is neither a regular file nor a directory:
    /// a character or block device, a named pipe or a socket. False when it does not exist or cannot be examined.
    /// </summary>
    public static bool IsSpecial(string path)
    {
        if (OperatingSystem.IsLinux())
        {
            // statx's layout is one for every architecture, unlike stat's.
            var buffer = new byte[256];
            if (Statx(AtCurrentDirectory, path, 0, StatxType, buffer) != 0)
            {
                return false;
            }

            var type = BitConverter.ToUInt16(buffer, StatxModeOffset) & TypeMask;
            return type is not (RegularFile or Directory);
        }

        // Elsewhere on Unix, the devices a user names (/dev/null, /dev/stdout) live in /dev.
        return !OperatingSystem.IsWindows() && path.StartsWith("/dev/", StringComparison.Ordinal) && File.Exists(path);
    }

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static extern int Statx(int directory, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, [Out] byte[] buffer);
}
