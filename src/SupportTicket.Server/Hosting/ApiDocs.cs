using Microsoft.OpenApi;

namespace SupportTicket.Server.Hosting;

internal static class ApiDocs
{
    public static IServiceCollection AddApiDocs(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(o =>
        {
            o.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "SupportTicket API",
                Version = "v1",
                Description = "Tickets and messages for chat widgets, agents and the Discord bot. Tokens come from your trusted backend.",
            });
            o.AddSecurityDefinition("Bearer", new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "A token minted by your trusted backend (or `dotnet run --project src/SupportTicket.Server -- token`).",
            });
            o.AddSecurityRequirement(doc => new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("Bearer", doc)] = [] });
            // string vs string? in the DTOs becomes required vs nullable, so generated clients get exact types.
            o.SupportNonNullableReferenceTypes();
            o.NonNullableReferenceTypesAsRequired();
            o.OperationFilter<ApiDocsOperations>();
            o.DocumentFilter<ApiDocsDocument>();
        });
        return services;
    }

    public static WebApplication MapApiDocs(this WebApplication app)
    {
        var setting = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ServerOptions>>().Value.ApiDocs;
        if (!(setting ?? !app.Environment.IsProduction())) return app;
        app.UseSwagger(o =>
        {
            o.RouteTemplate = "swagger/{documentName}/swagger.json";
            o.PreSerializeFilters.Add((doc, request) => doc.Servers = [new OpenApiServer { Url = $"{request.Scheme}://{request.Host.Value}" }]);
        });
        app.UseSwaggerUI(o => o.SwaggerEndpoint("/swagger/v1/swagger.json", "SupportTicket v1"));
        return app;
    }
}
