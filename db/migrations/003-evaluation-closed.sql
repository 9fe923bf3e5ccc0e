-- When an evaluation's own steps ended (reviewed, or settled without a review). A cycle started
-- with `cycle-learns-reviews-from-read-model` counts these instead of waiting for its children to
-- complete (bench/README.md, change 22).

alter table evaluations add column closed_at timestamptz;
