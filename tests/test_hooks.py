"""tools/hooks.py on notebook pages: math becomes MathML, CDN scripts go, code and prices stay as they are."""

import hooks

NOTEBOOK_HEAD = """<!-- Load mathjax -->
<script src=""> </script>
<!-- MathJax configuration -->
<script type="text/x-mathjax-config">
  init_mathjax = function() { MathJax.Hub.Config({tex2jax: {inlineMath: [['$','$']]}}); }
</script>
<!-- End of mathjax configuration --><script type="module">
  document.addEventListener("DOMContentLoaded", async () => {
    const diagrams = document.querySelectorAll(".jp-Mermaid > pre.mermaid");
    if (!diagrams.length) { return; }
    const mermaid = (await import("https://cdnjs.cloudflare.com/ajax/libs/mermaid/11.10.0/mermaid.esm.min.mjs")).default;
  });
</script>
<style>.jp-Mermaid { color: red; }</style>
<!-- End of mermaid configuration -->"""


def markdown_cell(inner: str) -> str:
    return f'<div class="jp-RenderedHTMLCommon jp-RenderedMarkdown jp-MarkdownOutput">\n{inner}\n</div>'


def test_notebook_page_loses_its_cdn_scripts_but_keeps_its_styles():
    page = hooks._notebook_page(NOTEBOOK_HEAD + markdown_cell("<p>text</p>"))
    assert "cdnjs" not in page and "mathjax" not in page.lower() and "<script" not in page
    assert ".jp-Mermaid { color: red; }" in page and "<p>text</p>" in page


def test_mermaid_script_stays_when_the_notebook_draws_a_diagram():
    diagram = '<div class="jp-Mermaid"><pre class="mermaid">graph LR; a-->b</pre></div>'
    page = hooks._notebook_page(NOTEBOOK_HEAD + diagram)
    assert "mermaid.esm.min.mjs" in page  # then the offline tests must fail loudly, not hide it


def test_markdown_cell_math_becomes_mathml_outside_code():
    cell = markdown_cell(
        r"<p>Loss $L = \frac{1}{k}\sum_i l_i$ is</p><p>$$\hat{y} = X W + b$$</p>"
        r"<p>costs $5 and $6, <code>$x$</code></p><pre>$y$</pre>"
    )
    page = hooks._notebook_page(cell)
    assert page.count('<math xmlns="http://www.w3.org/1998/Math/MathML" display="inline">') == 1
    assert page.count('display="block"') == 1
    assert "\\frac" not in page and "$$" not in page
    assert "costs $5 and $6" in page and "<code>$x$</code>" in page and "<pre>$y$</pre>" in page


def test_math_outside_markdown_cells_is_left_alone():
    output = '<div class="jp-OutputArea-output"><pre>price $3$</pre></div><p>$z$</p>'
    assert hooks._notebook_page(output) == output
