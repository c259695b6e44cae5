"""Evidence (佐证材料): the content-addressed file store and attaching files to tasks."""
