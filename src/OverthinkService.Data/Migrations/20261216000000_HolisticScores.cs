using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace OverthinkService.Data.Migrations;

/// <summary>
/// The pattern sub-scores of <c>scores</c> may be empty: the LLM judge gives only an overall score, and its rows
/// used to record 0 for each pattern as if it had been measured. Those rows are emptied.
/// </summary>
[DbContext(typeof(OverthinkDbContext))]
[Migration("20261216000000_HolisticScores")]
public sealed class HolisticScores : Migration
{
    private static readonly string[] Columns = ["analysis_paralysis", "rogue_actions", "premature_disengagement"];

    protected override void Up(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        foreach (var column in Columns)
        {
            migrationBuilder.AlterColumn<double>(column, "scores", type: "double precision", nullable: true,
                oldClrType: typeof(double), oldType: "double precision");
        }

        migrationBuilder.Sql("UPDATE scores SET analysis_paralysis = NULL, rogue_actions = NULL, premature_disengagement = NULL WHERE scorer_name = 'llm-judge';");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        migrationBuilder.Sql("UPDATE scores SET analysis_paralysis = 0, rogue_actions = 0, premature_disengagement = 0 WHERE analysis_paralysis IS NULL;");
        foreach (var column in Columns)
        {
            migrationBuilder.AlterColumn<double>(column, "scores", type: "double precision", nullable: false,
                oldClrType: typeof(double), oldType: "double precision", oldNullable: true);
        }
    }
}
