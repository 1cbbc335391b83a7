using System.Net;
using System.Reflection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace SupportTicket.Widget.Tests.Infrastructure;

/// <summary>
/// Runs a real app in-process on a Kestrel loopback port (a browser needs a real socket, which
/// TestServer does not have). Built by reflection over the app's entry point: both apps declare a
/// global top-level <c>Program</c> (the trusted backend's is internal), so neither is named here.
/// </summary>
public sealed class KestrelApp : IAsyncDisposable
{
    private readonly IAsyncDisposable _factory;

    private KestrelApp(IAsyncDisposable factory, Uri baseAddress, IServiceProvider services)
    {
        _factory = factory;
        BaseAddress = baseAddress;
        Services = services;
    }

    public Uri BaseAddress { get; }

    public IServiceProvider Services { get; }

    public static KestrelApp Start(
        string assemblyName, int port, IReadOnlyDictionary<string, string?> settings, Action<IWebHostBuilder>? configure = null)
    {
        var entryPoint = Assembly.Load(assemblyName).EntryPoint?.DeclaringType
            ?? throw new InvalidOperationException($"{assemblyName} has no entry point");
        var factoryType = typeof(SettingsFactory<>).MakeGenericType(entryPoint);
        var factory = (ISettingsFactory)Activator.CreateInstance(factoryType, settings, port, configure)!;
        var services = factory.Start();
        return new KestrelApp(factory, new Uri($"http://127.0.0.1:{port}"), services);
    }

    public HttpClient CreateClient(HttpMessageHandler? handler = null) =>
        new(handler ?? new SocketsHttpHandler()) { BaseAddress = BaseAddress };

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    private interface ISettingsFactory : IAsyncDisposable
    {
        IServiceProvider Start();
    }

    private sealed class SettingsFactory<TEntryPoint>(
        IReadOnlyDictionary<string, string?> settings, int port, Action<IWebHostBuilder>? configure)
        : WebApplicationFactory<TEntryPoint>, ISettingsFactory
        where TEntryPoint : class
    {
        public IServiceProvider Start()
        {
            UseKestrel(options => options.Listen(IPAddress.Loopback, port));
            StartServer();
            return Services;
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }

            configure?.Invoke(builder);
        }
    }
}
