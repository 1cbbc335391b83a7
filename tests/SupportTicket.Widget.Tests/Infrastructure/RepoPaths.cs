namespace SupportTicket.Widget.Tests.Infrastructure;

internal static class RepoPaths
{
    /// <summary>The folder holding SupportTicket.sln, found by walking up from the test binaries.</summary>
    public static string Root { get; } = FindRoot();

    public static string Screenshots { get; } = Directory.CreateDirectory(Path.Combine(Root, "artifacts", "screenshots")).FullName;

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SupportTicket.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("SupportTicket.sln not found above " + AppContext.BaseDirectory);
    }
}
