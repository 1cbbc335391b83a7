using System.Net;
using System.Net.Sockets;

namespace SupportTicket.Testing;

/// <summary>
/// The one way the test projects pick a loopback port, compiled into each of them (a linked file, not a shared
/// project). Only for an address something else must know before it starts; a server that can bind port 0 itself
/// and report its address should do that instead, since the port picked here is free only until someone else takes it.
/// </summary>
internal static class FreeTcpPort
{
    public static int Pick()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
