using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace OverthinkService.Data.Migrations;

/// <summary>
/// <c>trajectories.interaction_count</c>: steps whose actions got an observation back (what the paper's files
/// call interactions). Rows stored before it are filled in from their canonical document.
/// </summary>
[DbContext(typeof(OverthinkDbContext))]
[Migration("20261215000000_InteractionCount")]
public sealed class InteractionCount : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        migrationBuilder.AddColumn<int>("interaction_count", "trajectories", type: "integer", nullable: false, defaultValue: 0);
        migrationBuilder.Sql("""
            UPDATE trajectories t
            SET interaction_count = (
                SELECT count(*)
                FROM jsonb_array_elements(t.document -> 'steps') AS step
                WHERE jsonb_array_length(coalesce(step -> 'observations', '[]'::jsonb)) > 0);
            """);

        // The model has no default: every insert sets the count.
        migrationBuilder.AlterColumn<int>("interaction_count", "trajectories", type: "integer", nullable: false,
            oldClrType: typeof(int), oldType: "integer", oldDefaultValue: 0);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        migrationBuilder.DropColumn("interaction_count", "trajectories");
    }
}
