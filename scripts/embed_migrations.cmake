# Writes OUT: one C++ initializer per db/migrations/NNNN_name.sql, so the
# migrations are compiled into claimcheck from the files themselves.
#   cmake -DDIR=db/migrations -DOUT=build/generated/migrations.inc -P scripts/embed_migrations.cmake
file(GLOB files "${DIR}/*.sql")
list(SORT files)
set(body "// Generated from db/migrations/*.sql by scripts/embed_migrations.cmake; do not edit.\n")
foreach(f ${files})
  get_filename_component(name "${f}" NAME)
  string(SUBSTRING "${name}" 0 4 number)
  math(EXPR version "${number}")
  file(READ "${f}" sql)
  string(APPEND body "{${version}, \"${name}\", R\"claimcheck_sql(${sql})claimcheck_sql\"},\n")
endforeach()
file(WRITE "${OUT}.tmp" "${body}")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
